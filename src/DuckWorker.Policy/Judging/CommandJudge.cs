using DuckWorker.Policy.Rules;

namespace DuckWorker.Policy.Judging;

/// <summary>
/// Judges one expanded command: first its name (an expansion, a glob, a look-alike character or an unusual
/// path is never trusted), then by the rule for its base name. A command the rule table does not know needs
/// approval.
/// </summary>
internal static class CommandJudge
{
    public static void Judge(Invocation invocation)
    {
        var name = invocation.Arguments[0];
        var text = name.Text;
        var arguments = invocation.Arguments.Skip(1);
        if (text.Length == 0)
        {
            invocation.Report(Verdict.Uncertain("runs a command with an empty name"));
            return;
        }

        if (text.Contains(Sentinel.Unknown))
        {
            invocation.Report(Verdict.Uncertain($"takes its command name from an expansion ({name.Display})"));
            PathChecks.Secrets(invocation.Context, arguments);
            return;
        }

        if (text.Any(Sentinel.IsGlob))
        {
            JudgeGlobName(invocation, name);
            return;
        }

        // Even a value the policy can follow (`${IFS}ls`, `X=rm; $X`) is a name nobody wrote: it needs approval, and
        // the command it resolves to is still judged below, so a blocked one stays blocked.
        if ((name.Origin & (FieldOrigin.Expansion | FieldOrigin.CommandOutput)) != 0)
        {
            invocation.Report(Verdict.Uncertain($"takes its command name from an expansion ({name.Display})"));
        }

        if (text.Any(character => character > '\u007e' || char.IsControl(character)))
        {
            invocation.Report(Verdict.Uncertain("has a command name with non-ASCII or control characters (a look-alike?)"));
            PathChecks.Secrets(invocation.Context, arguments);
            return;
        }

        if (CommandName.IsUnusualPath(text))
        {
            invocation.Report(Verdict.RunsCode($"runs a program by its path ({name.Display})"));
        }

        if (CommandRuleBook.Find(invocation.Name) is { } rule)
        {
            rule(invocation);
            return;
        }

        invocation.Report(Verdict.Uncertain("is not a command the policy knows"));
        PathChecks.Secrets(invocation.Context, arguments);
    }

    /// <summary>
    /// A glob as the command name (<c>/???/r? -rf /</c>) could run any program it matches: every known command it
    /// matches, bare or in a standard binary directory, is judged with the same arguments.
    /// </summary>
    private static void JudgeGlobName(Invocation invocation, Field name)
    {
        invocation.Report(Verdict.Uncertain($"names its command with a glob ({name.Display})"));
        var pattern = GlobPattern.ToRegex(name.Text);
        string[] directories = ["", "/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/", "/usr/local/bin/"];
        foreach (var match in CommandRuleBook.Names.Where(known => directories.Any(directory => pattern.IsMatch(directory + known))))
        {
            invocation.JudgeWrapped([name with { Text = match }, .. invocation.Arguments.Skip(1)]);
        }
    }
}
