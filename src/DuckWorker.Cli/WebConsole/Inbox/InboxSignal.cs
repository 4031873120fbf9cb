namespace DuckWorker.Cli.WebConsole.Inbox;

/// <summary>Wakes every open inbox when something happened that may change what waits for approval.</summary>
internal sealed class InboxSignal
{
    private TaskCompletionSource next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Pulse() => Interlocked.Exchange(ref next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Returns at the next pulse, after <paramref name="timeout"/>, or when <paramref name="stopping"/> is cancelled.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken stopping, CancellationToken cancellationToken)
    {
        try
        {
            await Volatile.Read(ref next).Task.WaitAsync(timeout, stopping).WaitAsync(cancellationToken);
        }
        catch (TimeoutException)
        {
            // Nothing was announced: the caller looks at the store anyway.
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The console stops: the caller ends its stream.
        }
    }
}
