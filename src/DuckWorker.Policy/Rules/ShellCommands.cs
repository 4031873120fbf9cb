using DuckWorker.Policy;
using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// Shells and the builtins that run or reshape code. <c>bash -c STRING</c> is parsed and judged recursively;
/// a script file, <c>eval</c>, <c>source</c>, aliases and traps need approval; code that a shell reads from
/// a pipe is blocked when anything upstream downloaded or decoded it (<c>curl … | sh</c>,
/// <c>base64 -d | sh</c>), and judged when the pipe's text is known (<c>echo 'rm -rf /' | sh</c>).
/// </summary>
internal static class ShellCommands
{
    private static readonly string[] Shells = ["sh", "bash", "dash", "zsh", "ksh", "mksh", "ash", "rbash", "yash", "posh", "fish", "csh", "tcsh"];

    public static IEnumerable<(string Name, CommandRule Rule)> Rules()
    {
        foreach (var shell in Shells)
        {
            yield return (shell, JudgeShell);
        }

        yield return ("eval", JudgeEval);
        yield return ("source", JudgeSource);
        yield return (".", JudgeSource);
        yield return ("alias", JudgeAlias);
        yield return ("unalias", invocation => invocation.Report(Verdict.ReadsOnly("only removes aliases")));
        yield return ("trap", JudgeTrap);
        yield return ("set", JudgeSet);
        yield return ("shopt", invocation => invocation.Report(Verdict.ReadsOnly("only sets shell options")));
        foreach (var name in new[] { "export", "declare", "typeset", "local", "readonly" })
        {
            yield return (name, JudgeDeclaration);
        }

        yield return ("unset", JudgeUnset);
        yield return ("history", JudgeHistory);
        yield return ("hash", invocation => invocation.Report(invocation.Arguments.Any(field => field.Text == "-p")
            ? Verdict.ControlsProcesses("maps a command name to another program")
            : Verdict.ReadsOnly("only manages the command cache")));
        yield return ("enable", invocation => invocation.Report(invocation.Arguments.Any(field => field.Text.StartsWith("-f", StringComparison.Ordinal))
            ? Verdict.RunsCode("loads a shared library into the shell")
            : Verdict.Uncertain("changes which builtins the shell uses")));
        yield return ("fc", invocation => invocation.Report(Verdict.RunsCode("runs commands again from the history")));
        yield return ("printenv", invocation => invocation.Report(Verdict.ReadsOutside("prints the environment, which may hold secrets")));
        yield return ("complete", invocation => invocation.Report(Verdict.ReadsOnly("only configures completion")));
    }

    private static void JudgeShell(Invocation invocation)
    {
        var arguments = invocation.Arguments;
        PathChecks.Secrets(invocation.Context, arguments.Skip(1).Where(field => !field.Origin.HasFlag(FieldOrigin.ProcessSubstitution)));
        var index = 1;
        var runsCommandString = false;
        var readsInput = false;
        while (index < arguments.Count)
        {
            var text = arguments[index].Text;
            if (text is "--" or "-")
            {
                index++;
                readsInput |= text == "-";
                break;
            }

            if (text is "--rcfile" or "--init-file")
            {
                invocation.Report(Verdict.RunsCode("runs a startup file"));
                if (index + 1 < arguments.Count)
                {
                    PathChecks.Read(invocation.Context, arguments[index + 1]);
                }

                index += 2;
                continue;
            }

            if (text.StartsWith("--", StringComparison.Ordinal))
            {
                index++;
                continue;
            }

            if (text.Length > 1 && text[0] is '-' or '+' && arguments[index].IsExact)
            {
                var optionArguments = 0;
                foreach (var letter in text[1..])
                {
                    runsCommandString |= letter == 'c';
                    readsInput |= letter == 's';
                    optionArguments += letter is 'o' or 'O' ? 1 : 0;
                }

                index += 1 + optionArguments;
                continue;
            }

            if (text.Length > 0 && text[0] == Sentinel.Unknown)
            {
                invocation.Report(Verdict.Uncertain("passes the shell arguments an expansion decides"));
            }

            break;
        }

        if (runsCommandString)
        {
            if (index >= arguments.Count)
            {
                invocation.Report(Verdict.Uncertain("has `-c` without a command"));
                return;
            }

            invocation.JudgeShellCode(arguments[index].Text, arguments[index].Origin, "shell code");
            return;
        }

        if (!readsInput && index < arguments.Count)
        {
            JudgeScriptFile(invocation, arguments[index], "shell");
            return;
        }

        JudgeCodeFromInput(invocation, "shell", parseAsShell: true);
    }

    /// <summary>A script given by path: a process substitution that downloads is blocked; any script needs approval.</summary>
    public static void JudgeScriptFile(Invocation invocation, Field script, string language)
    {
        if (script.Content is { } content && language == "shell")
        {
            invocation.Report(Verdict.RunsCode("runs shell code produced by another command"));
            invocation.JudgeShellCode(content, script.Origin & ~FieldOrigin.ProcessSubstitution, "shell code");
        }

        if (script.Origin.HasFlag(FieldOrigin.ProcessSubstitution))
        {
            invocation.Report(script.Origin.HasFlag(FieldOrigin.Download)
                ? Verdict.TakesOver($"runs {language} code that was downloaded or decoded")
                : Verdict.RunsCode($"runs {language} code produced by another command"));
            return;
        }

        if (script.Text is "/dev/stdin" or "/dev/fd/0" or "/proc/self/fd/0")
        {
            JudgeCodeFromInput(invocation, language, parseAsShell: language == "shell");
            return;
        }

        PathChecks.Read(invocation.Context, script);
        invocation.Report(Verdict.RunsCode($"runs the {language} script {script.Display}"));
    }

    /// <summary>Code read from standard input: blocked when downloaded or decoded upstream, judged when its text is known.</summary>
    public static void JudgeCodeFromInput(Invocation invocation, string language, bool parseAsShell)
    {
        var input = invocation.Input;
        if (input.Kind == StandardInputKind.Inherited)
        {
            invocation.Report(Verdict.RunsCode($"starts an interactive {language}"));
            return;
        }

        if (input.FetchedOrDecoded)
        {
            invocation.Report(Verdict.TakesOver($"runs {language} code that was downloaded or decoded"));
            return;
        }

        invocation.Report(Verdict.RunsCode($"runs {language} code read from its input"));
        if (input.Text is { } text)
        {
            if (parseAsShell)
            {
                invocation.JudgeShellCode(text, FieldOrigin.Literal, "shell code");
            }
            else
            {
                InlineCode.Judge(invocation, new Field(text), language);
            }
        }
    }

    private static void JudgeEval(Invocation invocation)
    {
        invocation.Report(Verdict.Uncertain("runs a string as shell code (eval)"));
        var (text, origin) = Invocation.Join(invocation.Arguments.Skip(1));
        invocation.JudgeShellCode(text, origin, "an evaluated string");
    }

    private static void JudgeSource(Invocation invocation)
    {
        if (invocation.Arguments.Count < 2)
        {
            invocation.Report(Verdict.Uncertain("sources nothing"));
            return;
        }

        JudgeScriptFile(invocation, invocation.Arguments[1], "shell");
    }

    private static void JudgeAlias(Invocation invocation)
    {
        var definitions = invocation.Arguments.Skip(1).Where(field => field.Text.Contains('=') && !field.Text.StartsWith('-')).ToList();
        if (definitions.Count == 0)
        {
            invocation.Report(Verdict.ReadsOnly("only lists aliases"));
            return;
        }

        invocation.Report(Verdict.Uncertain("defines an alias, which changes what a command name runs"));
        foreach (var definition in definitions)
        {
            var value = definition.Text[(definition.Text.IndexOf('=') + 1)..];
            invocation.JudgeShellCode(value, definition.Origin, "an alias");
        }
    }

    private static void JudgeTrap(Invocation invocation)
    {
        var arguments = invocation.Arguments.Skip(1).ToList();
        if (arguments.Count < 2 || arguments[0].Text is "-l" or "-p")
        {
            invocation.Report(Verdict.ReadsOnly("only lists signal handlers"));
            return;
        }

        invocation.Report(Verdict.ControlsProcesses("sets a signal handler"));
        invocation.JudgeShellCode(arguments[0].Text, arguments[0].Origin, "a signal handler");
    }

    private static void JudgeSet(Invocation invocation)
    {
        var arguments = invocation.Arguments.Skip(1).ToList();
        if (arguments.Count == 0)
        {
            invocation.Report(Verdict.ReadsOutside("prints every shell variable, which may hold secrets"));
            return;
        }

        for (var index = 0; index + 1 < arguments.Count; index++)
        {
            if (arguments[index].Text == "+o" && arguments[index + 1].Text == "history")
            {
                invocation.Report(Verdict.Destroys("turns off the shell history"));
            }
        }

        invocation.Report(Verdict.ReadsOnly("only sets shell options"));
    }

    private static void JudgeDeclaration(Invocation invocation)
    {
        var arguments = invocation.Arguments.Skip(1).ToList();
        var operands = arguments.Where(field => !field.Text.StartsWith('-') && !field.Text.StartsWith('+')).ToList();
        if (operands.Count == 0 && !arguments.Any(field => field.Text.StartsWith("-f", StringComparison.Ordinal) || field.Text.StartsWith("-F", StringComparison.Ordinal)))
        {
            invocation.Report(Verdict.ReadsOutside("prints variables, which may hold secrets"));
            return;
        }

        var exported = invocation.Name == "export" || arguments.Any(field => field.Text.Length > 1 && field.Text[0] == '-' && field.Text.Contains('x'));
        foreach (var operand in operands)
        {
            var equals = operand.Text.IndexOf('=');
            var name = (equals < 0 ? operand.Text : operand.Text[..equals]).TrimEnd('+');
            if ((exported ? EnvironmentVariables.JudgeExported(name) : equals >= 0 ? EnvironmentVariables.JudgeShellVariable(name) : null) is { } verdict)
            {
                invocation.Report(verdict);
            }

            if (equals >= 0 && AssignmentJudge.HoldsACommand(name))
            {
                invocation.JudgeShellCode(AssignmentJudge.CommandOf(operand.Text[(equals + 1)..]), operand.Origin, $"the command in {name}");
            }
        }

        invocation.Report(Verdict.ReadsOnly("only sets shell variables"));
    }

    private static void JudgeUnset(Invocation invocation)
    {
        foreach (var name in invocation.Arguments.Skip(1).Where(field => !field.Text.StartsWith('-')))
        {
            if (EnvironmentVariables.IsHistory(name.Text))
            {
                invocation.Report(Verdict.Destroys($"tampers with the shell history ({name.Text})"));
            }
        }

        invocation.Report(Verdict.ReadsOnly("only unsets shell variables"));
    }

    private static void JudgeHistory(Invocation invocation)
    {
        if (invocation.Arguments.Skip(1).Any(field => field.Text.StartsWith('-') && field.Text.AsSpan(1).IndexOfAny("cdwas") >= 0))
        {
            invocation.Report(Verdict.Destroys("erases or rewrites the shell history"));
            return;
        }

        invocation.Report(Verdict.ReadsOnly("only shows the history"));
    }
}
