namespace DuckWorker.Runtime.Stores;

/// <summary>A run's hold on a task, for <paramref name="Duration"/> from when it is taken (see <see cref="ITaskStore.TryAcquireLeaseAsync"/>).</summary>
public sealed record TaskLease(string Owner, TimeSpan Duration);
