using System.Globalization;

namespace DuckWorker.Testing.Soak;

/// <summary>
/// One job of the soak, in a workspace of its own named after it. Every job first reads <c>step1.txt</c>
/// (the policy runs it at once); an approval job then copies <c>step2.txt</c> to <c>out2.txt</c> and
/// <c>step3.txt</c> to <c>out3.txt</c>, two writes that each need a person's approval, which the automatic
/// approver allows once (or, for a denied job, denies). Two approvals in one task put a continuation, and
/// an approved command, in every phase a kill can hit.
/// </summary>
public sealed record SoakJob(int Number, bool NeedsApproval, bool Denied)
{
    /// <summary>The steps of an approval job; a read-only job has only the first.</summary>
    public const int Steps = 3;

    public int StepCount => NeedsApproval ? Steps : 1;

    /// <summary>The file step <paramref name="step"/> reads (its tool call's index is the step).</summary>
    public static string StepFile(int step) => $"step{step}.txt";

    /// <summary>The command of step <paramref name="step"/>: a read at once, or a write that needs approval.</summary>
    public static string Command(int step) => step == 1 ? $"cat {StepFile(step)}" : $"cat {StepFile(step)} > out{step}.txt";

    /// <summary>The step a counted call was, from the file it read; 0 when it is none of them.</summary>
    public static int StepOf(string file) =>
        file.StartsWith("step", StringComparison.Ordinal) && file.EndsWith(".txt", StringComparison.Ordinal)
        && int.TryParse(file.AsSpan(4, file.Length - 8), NumberStyles.None, CultureInfo.InvariantCulture, out var step) ? step : 0;

    public string JobId => "soak-" + Number.ToString("D4", CultureInfo.InvariantCulture);

    public string Message => $"soak {JobId} {(NeedsApproval ? "copy" : "read")}";

    public static IReadOnlyList<SoakJob> Plan(KillAnywhereSoakOptions options) =>
    [
        .. Enumerable.Range(0, options.Jobs).Select(i =>
        {
            var needsApproval = i % options.ApprovalEvery == 0;
            return new SoakJob(i, needsApproval, needsApproval && i / options.ApprovalEvery % options.DenyEvery == options.DenyEvery - 1);
        }),
    ];

    /// <summary>The job's number from its id, or -1 when the id is not a soak job's.</summary>
    public static int NumberOf(string? jobId) =>
        jobId is not null && jobId.StartsWith("soak-", StringComparison.Ordinal)
        && int.TryParse(jobId.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : -1;
}
