namespace DuckWorker.Testing.Soak;

/// <summary>
/// The promises the soak checks at the end, each broken one a line of <see cref="SoakReport.Problems"/>:
/// every job has exactly one finished task and at least one outcome message; no tool call ran twice (by
/// the task's log and by the counter file); no denied call ran; every approval recorded was decided; no
/// task is left running or waiting.
/// </summary>
internal static class SoakChecks
{
    private const int EvidenceTasks = 4;

    public static SoakReport Check(
        IReadOnlyList<SoakJob> jobs,
        IReadOnlyList<StoredTask> tasks,
        IReadOnlyList<StoredEvent> events,
        IReadOnlyList<StoredApproval> approvals,
        IReadOnlyList<RanCall> calls,
        SoakBroker broker,
        int maxAttempts)
    {
        var problems = new List<string>();
        var suspects = new List<StoredTask>();
        var tasksByJob = tasks.ToDictionary(t => t.JobId, StringComparer.Ordinal);
        var eventsByTask = events.ToLookup(e => e.TaskId, StringComparer.Ordinal);
        var approvalsByTask = approvals.ToLookup(a => a.TaskId, StringComparer.Ordinal);
        var callsByJob = calls.ToLookup(c => c.JobId, StringComparer.Ordinal);

        foreach (var job in jobs)
        {
            var found = problems.Count;
            if (!tasksByJob.TryGetValue(job.JobId, out var task))
            {
                problems.Add($"{job.JobId} has no task");
                continue;
            }

            var log = eventsByTask[task.TaskId].ToList();
            var taskApprovals = approvalsByTask[task.TaskId].ToList();
            if (!task.Finished)
            {
                var decided = taskApprovals.Where(a => a.Decision is not null).Select(a => $"{a.ApprovalId} ({a.Decision})").ToList();
                problems.Add(task.Status == "waiting_for_approval" && decided.Count > 0 && taskApprovals.All(a => a.Decision is not null)
                    ? $"{job.JobId} (task {task.TaskId}) is left waiting on a decided approval: {string.Join(", ", decided)}"
                    : $"{job.JobId} (task {task.TaskId}) is left {task.Status}");
            }
            else if (log.Count(e => e.EventType is "task_completed" or "task_failed") is var ends && ends != 1)
            {
                problems.Add($"{job.JobId} (task {task.TaskId}) ended {ends} times in its log");
            }
            else if (task.Status == "failed" && Unexplained(task, log, maxAttempts) is { } unexplained)
            {
                problems.Add($"{job.JobId} (task {task.TaskId}) failed: {unexplained}");
            }

            foreach (var twice in log.Where(e => e.EventType == "tool_call_finished").GroupBy(e => e.Index).Where(g => g.Count() > 1))
            {
                problems.Add($"{job.JobId} (task {task.TaskId}) finished tool call {twice.Key} {twice.Count()} times in its log");
            }

            foreach (var twice in callsByJob[job.JobId].GroupBy(c => c.Step).Where(g => g.Count() > 1))
            {
                problems.Add($"{job.JobId} (task {task.TaskId}) ran `cat {twice.Key}` {twice.Count()} times");
            }

            foreach (var write in callsByJob[job.JobId].Select(c => SoakJob.StepOf(c.Step)).Where(s => s > 1).Distinct())
            {
                if (!taskApprovals.Any(a => a.Index == write && a.Decision is "allow_once" or "allow_forever"))
                {
                    problems.Add($"{job.JobId} (task {task.TaskId}) ran the write of step {write} without an allowing decision");
                }
            }

            var outcomes = broker.Outcomes.TryGetValue(job.JobId, out var announced) ? announced.ToList() : [];
            if (task.Finished && outcomes.Count == 0)
            {
                problems.Add($"{job.JobId} (task {task.TaskId}) is {task.Status} but no outcome message arrived");
            }
            else if (outcomes.Any(o => o != task.Status))
            {
                problems.Add($"{job.JobId} (task {task.TaskId}) was announced {string.Join(", ", outcomes)} but is stored {task.Status}");
            }

            if (problems.Count > found)
            {
                suspects.Add(task);
            }
        }

        foreach (var approval in approvals.Where(a => a.Decision is null))
        {
            var task = tasks.FirstOrDefault(t => t.TaskId == approval.TaskId);
            var why = broker.ApprovalRequests.ContainsKey(approval.ApprovalId)
                ? broker.DecisionsSent.TryGetValue(approval.ApprovalId, out var sent) ? $"the decision {sent} was sent but not recorded" : "its request arrived but no decision was sent yet"
                : "its request was never announced";
            problems.Add($"approval {approval.ApprovalId} (call {approval.Index}) of {task?.JobId ?? approval.TaskId} was never decided: {why}");
            if (task is not null && !suspects.Contains(task))
            {
                suspects.Add(task);
            }
        }

        var outcomeMessages = broker.Outcomes.Values.Sum(o => o.Count);
        return new SoakReport
        {
            Jobs = jobs.Count,
            Completed = tasks.Count(t => t.Status == "completed"),
            Failed = tasks.Count(t => t.Status == "failed"),
            Unfinished = jobs.Count(j => !tasksByJob.TryGetValue(j.JobId, out var t) || !t.Finished),
            ApprovalsRequested = approvals.Count,
            ApprovalsDecided = approvals.Count(a => a.Decision is not null),
            ApprovalRequestMessages = broker.ApprovalRequests.Values.Sum(),
            DecisionsSent = broker.DecisionsSent.Count,
            OutcomeMessages = outcomeMessages,
            DuplicateOutcomes = outcomeMessages - broker.Outcomes.Count(o => !o.Value.IsEmpty),
            ToolCallsRun = calls.Count,
            PublishRetries = broker.PublishRetries,
            FailedTasks = [.. tasks.Where(t => t.Status == "failed").OrderBy(t => t.JobId, StringComparer.Ordinal).Select(t => $"{t.JobId} (task {t.TaskId}, attempts {t.Attempts}): {t.Error}")],
            Problems = problems,
            Evidence = [.. suspects.Take(EvidenceTasks).Concat(tasks.Where(t => t.Status == "failed").Except(suspects).Take(EvidenceTasks / 2)).Select(t => Evidence(t, eventsByTask[t.TaskId], approvalsByTask[t.TaskId], callsByJob[t.JobId]))],
        };
    }

    /// <summary>
    /// Why a failure is not explained by the soak, or null when it is. Nothing in the soak fails on its own
    /// (every command succeeds, every model answers), so the one explained failure is a task whose runs
    /// were interrupted <c>Worker:MaxAttempts</c> times in a row without progress: each interrupted run
    /// leaves a <c>task_resumed</c> in the next one, and the run after the last allowed attempt fails at
    /// once. A run that reached an approval, or a decision's continuation, is progress: it starts a fresh
    /// budget, so a failure in the first run after it is never explained.
    /// </summary>
    private static string? Unexplained(StoredTask task, List<StoredEvent> log, int maxAttempts)
    {
        if (task.Error is null || !task.Error.Contains("times without finishing", StringComparison.Ordinal))
        {
            return $"\"{task.Error}\", which nothing in the soak explains";
        }

        var progress = log.FindLastIndex(e => e.EventType is "task_continued" or "task_waiting_for_approval");
        var interrupted = log.Skip(progress + 1).Count(e => e.EventType == "task_resumed");
        return interrupted >= maxAttempts - 1
            ? null
            : $"\"{task.Error}\" after {interrupted} interrupted runs since its last progress ({(progress < 0 ? "its start" : log[progress].EventType)}), where Worker:MaxAttempts is {maxAttempts}";
    }

    private static string Evidence(StoredTask task, IEnumerable<StoredEvent> log, IEnumerable<StoredApproval> approvals, IEnumerable<RanCall> calls) =>
        $"""
        --- {task.JobId}, task {task.TaskId}: {task.Status}, attempts {task.Attempts}{(task.Error is null ? "" : $", error: {task.Error}")}
          approvals: {string.Join("; ", approvals.Select(a => $"{a.ApprovalId} call {a.Index} {a.Decision ?? "undecided"}"))}
          calls run: {string.Join("; ", calls.Select(c => $"cat {c.Step} (started by process {c.ParentProcess})"))}
        {string.Join("\n", log.Select(e => "  " + e))}
        """;
}
