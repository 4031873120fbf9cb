namespace DuckWorker.RabbitMq;

/// <summary>The <c>RabbitMq</c> section: the broker and the names of docs/topology.md.</summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    public Uri? Uri { get; set; } = new("amqp://guest:guest@localhost:5672/");

    public string JobsQueue { get; set; } = "duck.jobs";

    public string EventsExchange { get; set; } = "duck.events";

    public string ApprovalsRequestedQueue { get; set; } = "duck.approvals.requested";

    public string TasksFinishedQueue { get; set; } = "duck.tasks.finished";

    public string DecisionsQueue { get; set; } = "duck.approvals.decisions";

    public string DeadLetterExchange { get; set; } = "duck.dlx";

    public string DeadQueue { get; set; } = "duck.dead";

    /// <summary>Deliveries of one job before the broker dead-letters it (the quorum queue's <c>x-delivery-limit</c>).</summary>
    public int DeliveryLimit { get; set; } = 5;

    /// <summary>
    /// The most announcements the finished-tasks queue keeps for a reader that may never come; past it the oldest
    /// are dropped (<c>x-max-length</c>, <c>x-overflow: drop-head</c>). 0 leaves it unbounded.
    /// </summary>
    public int FinishedQueueMaxLength { get; set; } = 10_000;

    /// <summary>The most messages the dead-letter queue keeps; past it the oldest are dropped. 0 leaves it unbounded.</summary>
    public int DeadQueueMaxLength { get; set; } = 10_000;

    /// <summary>The longest wait between two attempts to reach the broker.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an outcome may wait for the broker to come back before its job is handed back.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Which task events are announced as <c>task.event.*</c>: <c>all</c>, <c>lifecycle</c> (approvals and outcomes)
    /// or <c>none</c>, in any case; see <see cref="Publishing.AnnouncedEvents"/>.
    /// </summary>
    public string AnnounceEvents { get; set; } = "all";

    /// <summary><see cref="AnnounceEvents"/> as a value; the validator has refused any other at start.</summary>
    public Publishing.AnnouncedEvents AnnouncedEvents => Enum.Parse<Publishing.AnnouncedEvents>(AnnounceEvents, ignoreCase: true);

    /// <summary>The broker's address without its credentials, fit for logs.</summary>
    public string SafeUri => Uri is null ? "(none)" : $"{Uri.Scheme}://{Uri.Host}:{(Uri.IsDefaultPort ? 5672 : Uri.Port)}{Uri.AbsolutePath}";
}
