namespace DuckWorker.Runtime.Stores;

/// <summary>New ids for tasks, approvals, memories and records: time-ordered, so that they sort by creation.</summary>
public static class Ids
{
    public static string New() => Guid.CreateVersion7().ToString("N");
}
