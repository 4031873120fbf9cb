using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// <c>sed</c> and <c>awk</c> are read-only filters unless their script edits in place, writes or reads other
/// files, or runs commands; then they need approval (and in-place targets outside the workspace are blocked).
/// </summary>
internal static class TextCommands
{
    public static IEnumerable<(string Name, CommandRule Rule)> Rules()
    {
        yield return ("sed", JudgeSed);
        yield return ("gsed", JudgeSed);
        foreach (var name in new[] { "awk", "gawk", "mawk", "nawk", "busybox-awk" })
        {
            yield return (name, JudgeAwk);
        }
    }

    /// <summary>The command a sed <c>e</c> or awk <c>system()</c> runs is judged, the file it writes or reads is checked.</summary>
    private static void JudgeEffect(Invocation invocation, Field script, SedScript.Effect effect)
    {
        if (effect.Argument.Length == 0)
        {
            return;
        }

        var argument = script with { Text = effect.Argument };
        switch (effect.Command)
        {
            case 'e':
                invocation.JudgeShellCode(effect.Argument, script.Origin, "a command in a script");
                break;
            case 'w' or 'W':
                PathChecks.Write(invocation.Context, argument);
                break;
            case 'r' or 'R':
                PathChecks.Read(invocation.Context, argument);
                break;
        }
    }

    private static void JudgeSed(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("efl", "--expression", "--file", "--line-length"));
        var context = invocation.Context;
        var scripts = arguments.Values("e", "--expression").ToList();
        var hasScriptOption = scripts.Count > 0 || arguments.Has("f", "--file");
        var operands = arguments.Operands.ToList();
        if (!hasScriptOption && operands.Count > 0)
        {
            scripts.Add(operands[0]);
            operands.RemoveAt(0);
        }

        foreach (var scriptFile in arguments.Values("f", "--file"))
        {
            PathChecks.Read(context, scriptFile);
            invocation.Report(Verdict.Uncertain("runs a sed script from a file the policy cannot see"));
        }

        if (scripts.Any(script => !script.IsExact))
        {
            invocation.Report(Verdict.Uncertain("runs a sed script that depends on an expansion"));
        }
        else if (scripts.Any(script => SedScript.RunsOrTouchesFiles(script.Text)))
        {
            invocation.Report(Verdict.RunsCode("runs a sed script that runs commands or reads or writes other files"));
            foreach (var (script, effect) in scripts.SelectMany(script => SedScript.Effects(script.Text).Select(effect => (script, effect))))
            {
                JudgeEffect(invocation, script, effect);
            }
        }

        var inPlace = arguments.Options.Any(option => option.Name is "i" or "--in-place" || option.Name.StartsWith("--in-place", StringComparison.Ordinal));
        foreach (var file in operands.Where(operand => operand.Text != "-"))
        {
            if (inPlace)
            {
                PathChecks.Write(context, file, "edits");
            }
            else
            {
                PathChecks.Read(context, file);
            }
        }

        if (!inPlace)
        {
            invocation.Report(Verdict.ReadsOnly("only reads"));
        }
    }

    private static void JudgeAwk(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("fvFeEil", "--file", "--assign", "--field-separator", "--source", "--exec", "--include", "--load"));
        var context = invocation.Context;
        var programs = arguments.Values("e", "--source").ToList();
        var operands = arguments.Operands.ToList();
        var fromFiles = arguments.Values("f", "--file", "E", "--exec").ToList();
        if (programs.Count == 0 && fromFiles.Count == 0 && operands.Count > 0)
        {
            programs.Add(operands[0]);
            operands.RemoveAt(0);
        }

        foreach (var file in fromFiles)
        {
            PathChecks.Read(context, file);
            invocation.Report(Verdict.Uncertain("runs an awk program from a file the policy cannot see"));
        }

        if (arguments.Has("i", "--include", "l", "--load") || arguments.Options.Any(option => option.Name is "--profile" or "--pretty-print" or "--dump-variables" or "o" or "p" or "d"))
        {
            invocation.Report(Verdict.RunsCode("loads awk extensions or writes profile files"));
        }

        if (programs.Any(program => !program.IsExact))
        {
            invocation.Report(Verdict.Uncertain("runs an awk program that depends on an expansion"));
        }
        else if (programs.Any(program => AwkProgram.RunsOrTouchesFiles(program.Text)))
        {
            invocation.Report(Verdict.RunsCode("runs an awk program that runs commands or reads or writes other files"));
            foreach (var (program, (kind, argument)) in programs.SelectMany(program => AwkProgram.LiteralEffects(program.Text).Select(effect => (program, effect))))
            {
                JudgeEffect(invocation, program, new SedScript.Effect(kind, argument));
            }
        }
        else if (programs.Any(program => program.Text.Contains("ENVIRON", StringComparison.Ordinal)))
        {
            invocation.Report(Verdict.ReadsOutside("prints environment variables, which may hold secrets"));
        }

        foreach (var file in operands.Where(operand => operand.Text != "-" && !IsAssignment(operand.Text)))
        {
            PathChecks.Read(context, file);
        }

        invocation.Report(Verdict.ReadsOnly("only reads"));
    }

    private static bool IsAssignment(string operand)
    {
        var equals = operand.IndexOf('=');
        return equals > 0 && (char.IsAsciiLetter(operand[0]) || operand[0] == '_')
            && operand[..equals].All(character => char.IsAsciiLetterOrDigit(character) || character == '_');
    }
}
