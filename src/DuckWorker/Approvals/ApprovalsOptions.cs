namespace DuckWorker.Approvals;

/// <summary>The <c>Approvals</c> section: how long a request for approval waits for a person, and who may decide it.</summary>
public sealed class ApprovalsOptions
{
    public const string Section = "Approvals";

    /// <summary>
    /// A pending approval older than this expires: it is closed (a decision sent later is refused) and its task
    /// fails with the reason. None by default: an approval waits as long as it takes.
    /// </summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>
    /// Who may decide (compared exactly with a decision's <c>decidedBy</c>, which is its AMQP <c>user_id</c> when it
    /// has one); a decision from anyone else is dead-lettered with a reason naming who decided. Empty (the
    /// default): anyone who can publish to the decisions queue.
    /// </summary>
    public IReadOnlyList<string> AllowedApprovers { get; set; } = [];
}
