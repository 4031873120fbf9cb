using DuckWorker.Policy.Rules;
using DuckWorker.Policy.Syntax;

namespace DuckWorker.Policy.Judging;

/// <summary>
/// Judges redirections: <c>&gt;</c>, <c>&gt;&gt;</c>, <c>&amp;&gt;</c> and <c>&lt;&gt;</c> write their target,
/// <c>&lt;</c> reads it, descriptor duplications touch no file. <c>/dev/null</c> and the standard streams are
/// harmless; <c>/dev/tcp</c> and <c>/dev/udp</c> open network connections and are blocked.
/// </summary>
internal sealed class RedirectionJudge(CommandEvaluator evaluator, string segment, ShellState state)
{
    public void Judge(IReadOnlyList<ShellRedirection> redirections)
    {
        var context = new PathContext(evaluator.Paths, state, verdict => evaluator.Findings.Add(verdict, segment));
        foreach (var redirection in redirections)
        {
            if (redirection.HereDocument is not null || redirection.Operator == RedirectionOperator.HereString
                || redirection.IsDescriptorDuplication)
            {
                continue;
            }

            var fields = new WordExpander(state).Expand(redirection.Target).SelectMany(alternative => alternative).ToList();
            if (fields.Count == 0)
            {
                context.Report(Verdict.Uncertain("redirects to an expansion that may be empty"));
            }

            foreach (var field in fields)
            {
                if (redirection.Operator is RedirectionOperator.Input or RedirectionOperator.DuplicateInput)
                {
                    PathChecks.Read(context, field);
                }
                else
                {
                    PathChecks.Write(context, field, "writes");
                }
            }
        }
    }

    /// <summary>The standard input the redirections give a command; the last one on descriptor 0 wins.</summary>
    public static StandardInput InputOf(IReadOnlyList<ShellRedirection> redirections, ShellState state, StandardInput fallback)
    {
        var input = fallback;
        foreach (var redirection in redirections.Where(redirection => redirection.EffectiveFd == 0 && !redirection.IsDescriptorDuplication))
        {
            switch (redirection.Operator)
            {
                case RedirectionOperator.HereDocument when redirection.HereDocument is { } document:
                    var fetched = document.Expansion is { } expansion && SyntaxWalker.Substitutions(expansion).Any(ScriptTraits.FetchesOrDecodes);
                    input = new StandardInput(StandardInputKind.InlineText, document.Body, null, fetched);
                    break;
                case RedirectionOperator.HereString:
                    var values = new WordExpander(state).ExpandWithoutSplitting(redirection.Target);
                    var (text, origin) = values.Count == 1 ? values[0] : (Sentinel.Unknown.ToString(), values.Aggregate(FieldOrigin.Literal, (all, value) => all | value.Origin));
                    input = new StandardInput(StandardInputKind.InlineText, text + "\n", null, origin.HasFlag(FieldOrigin.Download));
                    break;
                case RedirectionOperator.Input:
                case RedirectionOperator.ReadWrite:
                case RedirectionOperator.DuplicateInput:
                    input = new StandardInput(StandardInputKind.File, null, null, redirection.Target.LiteralValue is { } path && SensitivePaths.IsNetworkDevice(path));
                    break;
            }
        }

        return input;
    }
}
