namespace DuckWorker.Benchmarks.Worker;

/// <summary>The wall time a shell command pays for the sandbox, over <paramref name="Runs"/> pairs of runs.</summary>
internal sealed record SandboxCost(double MeanMs, double MedianMs, double UnconfinedMeanMs, double SandboxedMeanMs, int Runs);
