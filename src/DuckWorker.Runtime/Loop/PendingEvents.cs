namespace DuckWorker.Runtime.Loop;

/// <summary>
/// The events of a step that runs beside another, kept in the order the step made them and written to the log
/// afterwards, so that the log's order does not depend on which of the two finished first.
/// </summary>
internal sealed class PendingEvents
{
    private readonly List<Func<CancellationToken, Task>> writes = [];

    public void Add(Func<CancellationToken, Task> write) => writes.Add(write);

    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        foreach (var write in writes)
        {
            await write(cancellationToken);
        }
    }
}
