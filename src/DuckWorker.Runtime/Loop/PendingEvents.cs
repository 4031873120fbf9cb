namespace DuckWorker.Runtime.Loop;

/// <summary>
/// The events of a step that runs beside another, kept in the order the step made them and handed to the
/// journal afterwards, so that the log's order does not depend on which of the two finished first.
/// </summary>
internal sealed class PendingEvents
{
    private readonly List<Action<CancellationToken>> writes = [];

    public void Add(Action<CancellationToken> write) => writes.Add(write);

    public void Write(CancellationToken cancellationToken)
    {
        foreach (var write in writes)
        {
            write(cancellationToken);
        }
    }
}
