using DuckWorker.Policy.Judging;
using DuckWorker.Policy.Syntax;

namespace DuckWorker.Policy;

/// <summary>
/// Judges a shell command line an LLM proposes, before anything runs. The line is parsed as bash parses it;
/// every command in it (pipelines, lists, substitutions, <c>bash -c</c> strings, wrapped commands) is judged
/// and the riskiest decides. Anything the policy cannot read with certainty needs approval: it never guesses
/// that something is safe. Stateless and thread-safe.
/// </summary>
public sealed class CommandPolicy
{
    /// <summary>Lines longer than this are more than a reviewer can check at a glance; they never run at once.</summary>
    public const int MaximumReviewableLength = 8 * 1024;

    /// <summary>Judges <paramref name="commandLine"/> as if run with <paramref name="workspace"/> (absolute, links resolved) as working directory.</summary>
    public CommandAssessment Evaluate(string commandLine, string workspace)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var root = WorkspaceRoot(workspace);
        var findings = new Findings();
        var parsed = ShellParser.Parse(commandLine);
        var hidden = HiddenCharacters.Any(commandLine);

        // A line that does not parse cleanly, or hides characters, is its own key: no rendering could be trusted to mean the same.
        var normalized = parsed.Problems.Count == 0 && !hidden ? CommandRenderer.Render(parsed.Script) : commandLine;
        foreach (var problem in parsed.Problems)
        {
            findings.Add(Verdict.Uncertain($"cannot be parsed with certainty: {problem}"), commandLine);
        }

        if (commandLine.Length > MaximumReviewableLength)
        {
            findings.Add(new Verdict(CommandDecision.Approve, CommandActionType.Unknown, RiskLevel.High, "is longer than 8 KiB, too long to review"), commandLine);
        }

        if (hidden)
        {
            findings.Add(Verdict.Uncertain("contains control or invisible characters"), commandLine);
        }

        var paths = new PathResolver(root);
        var evaluator = new CommandEvaluator(paths, findings);
        evaluator.EvaluateScript(parsed.Script, ShellState.Start(root));
        if (evaluator.Exhausted)
        {
            findings.Add(new Verdict(CommandDecision.Approve, CommandActionType.Unknown, RiskLevel.High, "is too complex to follow completely"), commandLine);
            new CommandEvaluator(paths, findings, singlePassLoops: true)
                .EvaluateEachCommandAlone(parsed.Script, ShellState.Start(root).WithDirectories(null));
        }

        var riskiest = findings.Riskiest();
        return riskiest is null
            ? new CommandAssessment(CommandDecision.Run, CommandActionType.Read, RiskLevel.Low, "The command line runs nothing.", normalized)
            : new CommandAssessment(riskiest.Verdict.Decision, riskiest.Verdict.ActionType, riskiest.Verdict.RiskLevel, riskiest.Reason, normalized);
    }

    private static string WorkspaceRoot(string workspace)
    {
        ArgumentException.ThrowIfNullOrEmpty(workspace);
        if (workspace[0] != '/')
        {
            throw new ArgumentException($"The workspace must be an absolute path, not '{workspace}'.", nameof(workspace));
        }

        var segments = new List<string>();
        foreach (var segment in workspace.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }
            }
            else if (segment != ".")
            {
                segments.Add(segment);
            }
        }

        return "/" + string.Join('/', segments);
    }
}
