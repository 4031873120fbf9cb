using DuckWorker.Runtime.Stores;

namespace DuckWorker.Runtime.Loop;

/// <summary>
/// Writes one task's events behind its run, in the order the run made them. An event the run need not wait
/// for is queued, and the run goes on to its next model call while it is written; the events queued while
/// one write is under way go to the store together in the next. The run waits (<see cref="WrittenAsync"/>)
/// wherever something must find its events stored: before a tool call, a change of the task's status, a read
/// of the log, and at its end. A write that fails takes the events queued behind it with it, so the log
/// never holds an event without those before it; the run learns of the failure where it next waits.
/// </summary>
internal sealed class JournalWriter(IEventLog log, string taskId)
{
    private readonly Lock gate = new();
    private List<NewEvent> queued = [];

    // The last write started: it waits for the one before, so awaiting it awaits all of them.
    private Task written = Task.CompletedTask;

    public void Enqueue(NewEvent entry, CancellationToken cancellationToken) => Enqueue([entry], cancellationToken);

    /// <summary>Queues events that go to the store in one write, unless one already under way holds the queue.</summary>
    public void Enqueue(IReadOnlyList<NewEvent> entries, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var first = queued.Count == 0;
            queued.AddRange(entries);
            if (first)
            {
                // The first events of a batch start the write that will take them, and whatever joins them meanwhile.
                written = WriteAfterAsync(written, cancellationToken);
            }
        }
    }

    /// <summary>Returns once every event queued so far is stored; throws the failure of a write that lost them.</summary>
    public async Task WrittenAsync()
    {
        Task pending;
        lock (gate)
        {
            pending = written;
        }

        try
        {
            await pending;
        }
        catch
        {
            lock (gate)
            {
                // Told once: what the run writes after hearing of the failure (its end, say) starts afresh.
                if (written == pending)
                {
                    queued = [];
                    written = Task.CompletedTask;
                }
            }

            throw;
        }
    }

    private async Task WriteAfterAsync(Task previous, CancellationToken cancellationToken)
    {
        await previous;
        List<NewEvent> batch;
        lock (gate)
        {
            batch = queued;
            queued = [];
        }

        await log.AppendAsync(taskId, batch, cancellationToken);
    }
}
