using DuckWorker.Policy.Rules;

namespace DuckWorker.Policy.Judging;

/// <summary>
/// One command about to be judged: its expanded arguments (the first is the command name), the shell state it
/// would run in and its standard input. Rules report verdicts through it and hand wrapped commands and
/// nested scripts back to the evaluator through it.
/// </summary>
internal sealed class Invocation(
    IReadOnlyList<Field> arguments,
    string segment,
    ShellState state,
    StandardInput input,
    CommandEvaluator evaluator)
{
    public IReadOnlyList<Field> Arguments { get; } = arguments;

    /// <summary>The command as written, for reasons.</summary>
    public string Segment { get; } = segment;

    public ShellState State { get; } = state;

    public StandardInput Input { get; } = input;

    /// <summary>The command's name as the policy judges it: the base name of the first argument.</summary>
    public string Name => CommandName.BaseName(Arguments[0].Text);

    public PathResolver Paths => evaluator.Paths;

    public PathContext Context => new(Paths, State, Report);

    public void Report(Verdict verdict) => evaluator.Findings.Add(verdict, Segment);

    public ParsedArguments Parse(CommandSyntax syntax, int start = 1) => ParsedArguments.Parse(Arguments, start, syntax);

    public List<ResolvedPath> Resolve(Field field) => Paths.Resolve(field.Text, State);

    /// <summary>Judges a command this one runs (<c>env rm …</c>, <c>find -exec rm …</c>), optionally in another directory.</summary>
    public void JudgeWrapped(IReadOnlyList<Field> wrapped, ShellState? stateOverride = null, StandardInput? inputOverride = null)
    {
        if (wrapped.Count == 0)
        {
            return;
        }

        evaluator.JudgeArguments(wrapped, Segment, stateOverride ?? State, inputOverride ?? Input);
    }

    /// <summary>
    /// Judges text this command runs as shell code (<c>bash -c</c>, <c>eval</c>, <c>watch</c>). Code that came from
    /// a download or a decoder is blocked; code that came from any other command's output needs approval.
    /// </summary>
    public void JudgeShellCode(string code, FieldOrigin origin, string what)
    {
        if (origin.HasFlag(FieldOrigin.Download))
        {
            Report(Verdict.TakesOver($"runs {what} that was downloaded or decoded"));
        }
        else if (origin.HasFlag(FieldOrigin.CommandOutput))
        {
            Report(Verdict.RunsCode($"runs {what} produced by another command"));
        }

        evaluator.EvaluateNestedText(Sentinel.ToShellText(code), State, Input);
    }

    /// <summary>Joins fields back into one shell text, as <c>eval</c> and <c>ssh host cmd</c> do.</summary>
    public static (string Text, FieldOrigin Origin) Join(IEnumerable<Field> fields)
    {
        var list = fields.ToList();
        return (string.Join(' ', list.Select(field => field.Text)), list.Aggregate(FieldOrigin.Literal, (all, field) => all | field.Origin));
    }
}
