namespace DuckWorker.Approvals;

/// <summary>The <c>Approvals</c> section: how long a request for approval waits for a person.</summary>
public sealed class ApprovalsOptions
{
    public const string Section = "Approvals";

    /// <summary>
    /// A pending approval older than this expires: it is closed (a decision sent later is refused) and its task
    /// fails with the reason. None by default: an approval waits as long as it takes.
    /// </summary>
    public TimeSpan? Timeout { get; set; }
}
