namespace DuckWorker.Tests;

/// <summary>Tests that restart the broker: they run by themselves, after all the others, so no other test sees the restart.</summary>
[CollectionDefinition(nameof(RunsAlone), DisableParallelization = true)]
public sealed class RunsAlone;
