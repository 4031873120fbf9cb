namespace DuckWorker.Runtime.Models;

/// <summary>
/// Hands every answered model call to the task it was made for. Calls are made deep inside recall, the memory
/// policy and reflection, which know nothing of the task's log, so the run in progress travels with the async
/// flow (<see cref="RecordTo"/>) instead of through every signature. A call made outside a run is not recorded.
/// </summary>
public sealed class ModelCallRecorder
{
    private readonly AsyncLocal<Func<ModelCall, CancellationToken, Task>?> current = new();

    /// <summary>Until the returned scope ends, the calls of this async flow go to <paramref name="record"/>.</summary>
    public IDisposable RecordTo(Func<ModelCall, CancellationToken, Task> record)
    {
        var outer = current.Value;
        current.Value = record;
        return new Scope(this, outer);
    }

    internal Task FinishedAsync(ModelCall call, CancellationToken cancellationToken) =>
        current.Value?.Invoke(call, cancellationToken) ?? Task.CompletedTask;

    private sealed class Scope(ModelCallRecorder recorder, Func<ModelCall, CancellationToken, Task>? outer) : IDisposable
    {
        public void Dispose() => recorder.current.Value = outer;
    }
}
