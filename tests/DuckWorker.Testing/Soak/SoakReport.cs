using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DuckWorker.Testing.Soak;

/// <summary>What one soak run did and found. <see cref="Problems"/> lists every broken promise; empty means it held.</summary>
public sealed record SoakReport
{
    public int Seed { get; init; }

    public int Jobs { get; init; }

    public int Completed { get; init; }

    public int Failed { get; init; }

    /// <summary>Jobs with no finished task when the run ended.</summary>
    public int Unfinished { get; init; }

    /// <summary>Approvals the workers recorded.</summary>
    public int ApprovalsRequested { get; init; }

    /// <summary>Approvals recorded with a decision.</summary>
    public int ApprovalsDecided { get; init; }

    /// <summary>Approval requests the approver received (a request announced twice counts twice).</summary>
    public int ApprovalRequestMessages { get; init; }

    public int DecisionsSent { get; init; }

    public IReadOnlyDictionary<string, int> Kills { get; init; } = new Dictionary<string, int>();

    public int BrokerRestarts { get; init; }

    /// <summary>Why the broker was not restarted, when it was meant to be.</summary>
    public string? BrokerRestartNote { get; init; }

    public int OutcomeMessages { get; init; }

    /// <summary>Outcome messages beyond the first of their job: outcome announcements are at-least-once.</summary>
    public int DuplicateOutcomes { get; init; }

    /// <summary>Tool calls that ran, as the counter file saw them.</summary>
    public int ToolCallsRun { get; init; }

    /// <summary>Publishes (jobs, decisions) the soak sent again because the broker was restarting.</summary>
    public int PublishRetries { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>Each failed task, with its reason: failures are allowed, but each must say why.</summary>
    public IReadOnlyList<string> FailedTasks { get; init; } = [];

    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>The event logs of the tasks named in <see cref="Problems"/> (a few), for the diagnosis.</summary>
    public IReadOnlyList<string> Evidence { get; init; } = [];

    public int TotalKills => Kills.Values.Sum();

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"kill-anywhere soak, seed {Seed}: {(Problems.Count == 0 ? "every promise held" : $"{Problems.Count} problems")}");
        text.AppendLine($"  jobs {Jobs}: completed {Completed}, failed {Failed}, unfinished {Unfinished}");
        text.AppendLine($"  approvals requested {ApprovalsRequested}, decided {ApprovalsDecided}; request messages {ApprovalRequestMessages}, decisions sent {DecisionsSent}");
        text.AppendLine($"  kills {TotalKills} ({string.Join(", ", Kills.Select(k => $"{k.Key} {k.Value}"))}), broker restarts {BrokerRestarts}{(BrokerRestartNote is null ? "" : $" ({BrokerRestartNote})")}, publishes retried {PublishRetries}");
        text.AppendLine($"  outcome messages {OutcomeMessages} (duplicates {DuplicateOutcomes}), tool calls run {ToolCallsRun}, duration {Duration.TotalSeconds:0.0} s");
        foreach (var failed in FailedTasks)
        {
            text.AppendLine($"  failed: {failed}");
        }

        foreach (var problem in Problems)
        {
            text.AppendLine($"  PROBLEM: {problem}");
        }

        foreach (var evidence in Evidence)
        {
            text.AppendLine(evidence);
        }

        return text.ToString();
    }

    public string ToJson() => new JsonObject
    {
        ["seed"] = Seed,
        ["jobs"] = Jobs,
        ["completed"] = Completed,
        ["failed"] = Failed,
        ["unfinished"] = Unfinished,
        ["approvalsRequested"] = ApprovalsRequested,
        ["approvalsDecided"] = ApprovalsDecided,
        ["approvalRequestMessages"] = ApprovalRequestMessages,
        ["decisionsSent"] = DecisionsSent,
        ["kills"] = TotalKills,
        ["killsByMoment"] = new JsonObject([.. Kills.Select(k => KeyValuePair.Create(k.Key, (JsonNode?)k.Value))]),
        ["brokerRestarts"] = BrokerRestarts,
        ["brokerRestartNote"] = BrokerRestartNote,
        ["outcomeMessages"] = OutcomeMessages,
        ["duplicateOutcomes"] = DuplicateOutcomes,
        ["toolCallsRun"] = ToolCallsRun,
        ["publishRetries"] = PublishRetries,
        ["durationSeconds"] = Math.Round(Duration.TotalSeconds, 1),
        ["failedTasks"] = new JsonArray([.. FailedTasks.Select(f => (JsonNode?)f)]),
        ["problems"] = new JsonArray([.. Problems.Select(p => (JsonNode?)p)]),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}
