using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace DuckWorker.Runtime.Diagnostics;

/// <summary>
/// The worker's traces and metrics, under one name (<see cref="Name"/>): spans job → model call → tool call
/// (model calls follow the OpenTelemetry GenAI conventions), and counters and histograms of jobs, models,
/// tools and approvals. Nothing is recorded unless a listener (an OpenTelemetry exporter, a test) asks.
/// </summary>
public static class DuckTelemetry
{
    public const string Name = "DuckWorker";

    public static ActivitySource Source { get; } = new(Name);

    private static readonly Meter Meter = new(Name);

    public static Counter<long> JobsStarted { get; } = Meter.CreateCounter<long>("duck.jobs.started", "{job}", "Jobs whose task started running (a resumption counts again).");

    public static Counter<long> JobsCompleted { get; } = Meter.CreateCounter<long>("duck.jobs.completed", "{job}", "Jobs whose task completed.");

    public static Counter<long> JobsFailed { get; } = Meter.CreateCounter<long>("duck.jobs.failed", "{job}", "Jobs whose task failed.");

    public static Counter<long> JobsRedelivered { get; } = Meter.CreateCounter<long>("duck.jobs.redelivered", "{delivery}", "Job deliveries the broker marked as redelivered.");

    public static Histogram<double> JobDuration { get; } = Meter.CreateHistogram<double>("duck.job.duration", "s", "Time from taking a job to settling it.");

    public static Histogram<double> ModelDuration { get; } = Meter.CreateHistogram<double>("duck.model.duration", "s", "Latency of model calls, by role and model.");

    public static Histogram<long> ModelTokens { get; } = Meter.CreateHistogram<long>("duck.model.tokens", "{token}", "Tokens of model calls, by role and type (input or output).");

    public static Counter<long> ToolCalls { get; } = Meter.CreateCounter<long>("duck.tool.calls", "{call}", "Tool calls, by tool and decision (run, approve, block, invalid).");

    public static UpDownCounter<long> ApprovalsPending { get; } = Meter.CreateUpDownCounter<long>("duck.approvals.pending", "{approval}", "Approvals this worker requested that are not decided yet.");
}
