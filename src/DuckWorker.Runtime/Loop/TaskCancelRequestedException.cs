using DuckWorker.Runtime.Stores;

namespace DuckWorker.Runtime.Loop;

/// <summary>
/// Thrown at a step of the loop when the task's record carries a cancel request: it unwinds the action loop to
/// the run's driver, which ends the task as cancelled.
/// </summary>
internal sealed class TaskCancelRequestedException(CancelRequest request) : Exception(request.Describe())
{
    public CancelRequest Request { get; } = request;
}
