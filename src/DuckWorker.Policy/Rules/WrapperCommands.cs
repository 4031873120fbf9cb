using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// Commands that run another command: the wrapped command is judged as if written alone, so
/// <c>env rm -rf /</c>, <c>nice rm -rf /</c>, <c>command rm -rf /</c> and <c>busybox rm -rf /</c> are all
/// <c>rm -rf /</c>. Wrappers that detach or repeat what they run (<c>nohup</c>, <c>setsid</c>, <c>watch</c>)
/// also count as process control.
/// </summary>
internal static class WrapperCommands
{
    public static IEnumerable<(string Name, CommandRule Rule)> Rules()
    {
        yield return ("env", JudgeEnv);
        yield return ("nice", invocation => Unwrap(invocation, CommandSyntax.Of("n", "--adjustment"), describesItselfWhenAlone: true));
        yield return ("nohup", invocation => Unwrap(invocation, CommandSyntax.Plain, detaches: true));
        yield return ("setsid", invocation => Unwrap(invocation, CommandSyntax.Plain, detaches: true));
        yield return ("timeout", JudgeTimeout);
        yield return ("time", invocation => Unwrap(invocation, CommandSyntax.Of("fo", "--format", "--output"), writesOption: ["o", "--output"]));
        yield return ("command", JudgeCommandBuiltin);
        yield return ("builtin", invocation => Unwrap(invocation, CommandSyntax.Plain));
        yield return ("exec", JudgeExec);
        yield return ("stdbuf", invocation => Unwrap(invocation, CommandSyntax.Of("ioe", "--input", "--output", "--error")));
        yield return ("ionice", invocation => Unwrap(invocation, CommandSyntax.Of("cnpPu", "--class", "--classdata", "--pid", "--pgid", "--uid"), describesItselfWhenAlone: true));
        yield return ("chrt", invocation => Unwrap(invocation, CommandSyntax.Of("T", "--sched-runtime", "--sched-period", "--sched-deadline"), skipOperands: 1));
        yield return ("taskset", invocation => Unwrap(invocation, CommandSyntax.Of("", "--cpu-list"), skipOperands: 1));
        yield return ("unbuffer", invocation => Unwrap(invocation, CommandSyntax.Plain));
        yield return ("chronic", invocation => Unwrap(invocation, CommandSyntax.Plain));
        yield return ("catchsegv", invocation => Unwrap(invocation, CommandSyntax.Plain));
        yield return ("strace", invocation => Unwrap(invocation, CommandSyntax.Of("eopPsSuIbEX", "--output", "--attach", "--user"), writesOption: ["o", "--output"], detaches: true));
        yield return ("ltrace", invocation => Unwrap(invocation, CommandSyntax.Of("eopsSuaAnlLxXwDF", "--output"), writesOption: ["o", "--output"], detaches: true));
        yield return ("flock", invocation => Unwrap(invocation, CommandSyntax.Of("wEc", "--timeout", "--conflict-exit-code", "--command"), skipOperands: 1));
        yield return ("busybox", JudgeBusybox);
        yield return ("xargs", JudgeXargs);
        yield return ("watch", JudgeWatch);
        yield return ("script", JudgeScript);
        yield return ("parallel", JudgeParallel);
    }

    /// <summary>
    /// Judges what follows the wrapper's options (after <paramref name="skipOperands"/> operands of its own,
    /// such as <c>timeout</c>'s duration).
    /// </summary>
    private static void Unwrap(
        Invocation invocation,
        CommandSyntax syntax,
        int skipOperands = 0,
        bool detaches = false,
        bool describesItselfWhenAlone = false,
        string[]? writesOption = null)
    {
        var arguments = invocation.Parse(syntax with { StopAtFirstOperand = skipOperands == 0 });
        foreach (var output in arguments.Values(writesOption ?? []))
        {
            PathChecks.Write(invocation.Context, output);
        }

        var wrapped = arguments.Operands.Skip(skipOperands).ToList();
        if (arguments.Uncertain)
        {
            invocation.Report(Verdict.Uncertain("runs a command an expansion decides"));
        }

        if (wrapped.Count == 0)
        {
            invocation.Report(describesItselfWhenAlone ? Verdict.ReadsOnly("only reports a setting") : Verdict.Uncertain("wraps no command"));
            return;
        }

        if (detaches)
        {
            invocation.Report(Verdict.ControlsProcesses($"runs a command under `{invocation.Name}`"));
        }

        invocation.JudgeWrapped(skipOperands == 0 ? wrapped : RemainingAfter(invocation.Arguments, wrapped[0]));
    }

    /// <summary>The arguments from <paramref name="first"/> on, options included: they belong to the wrapped command.</summary>
    private static List<Field> RemainingAfter(IReadOnlyList<Field> arguments, Field first)
    {
        for (var index = 0; index < arguments.Count; index++)
        {
            if (ReferenceEquals(arguments[index], first))
            {
                return arguments.Skip(index).ToList();
            }
        }

        return [first];
    }

    private static void JudgeTimeout(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("sk", "--signal", "--kill-after").StoppingAtFirstOperand());
        if (arguments.Operands.Count < 2)
        {
            invocation.Report(Verdict.Uncertain("wraps no command"));
            return;
        }

        invocation.JudgeWrapped(RemainingAfter(invocation.Arguments, arguments.Operands[1]));
    }

    /// <summary>
    /// <c>env</c>: assignments before the command are judged like shell assignments; <c>-S</c> splits a string into
    /// a command; <c>-C</c> changes directory; with no command it prints the environment, which may hold secrets.
    /// </summary>
    private static void JudgeEnv(Invocation invocation)
    {
        var arguments = invocation.Arguments;
        var state = invocation.State;
        var index = 1;
        while (index < arguments.Count)
        {
            var text = arguments[index].Text;
            if (text is "-i" or "--ignore-environment" or "-0" or "--null" or "-v" or "--debug" or "-" || text.StartsWith("--unset=", StringComparison.Ordinal))
            {
                index++;
            }
            else if (text is "-u" or "--unset")
            {
                index += 2;
            }
            else if (text is "-C" or "--chdir" && index + 1 < arguments.Count)
            {
                state = state.WithDirectories(invocation.Resolve(arguments[index + 1]).Select(path => path.Path));
                index += 2;
            }
            else if (text is "-S" or "--split-string" && index + 1 < arguments.Count)
            {
                var (rest, origin) = Invocation.Join(arguments.Skip(index + 1));
                invocation.JudgeShellCode(rest, origin, "a split command string");
                return;
            }
            else if (text.StartsWith('-') && text.Length > 1)
            {
                invocation.Report(Verdict.Uncertain($"uses an `env` option the policy does not know ({text})"));
                index++;
            }
            else if (text.IndexOf('=') is > 0 and var equals && text[..equals].All(character => char.IsAsciiLetterOrDigit(character) || character == '_'))
            {
                if (EnvironmentVariables.JudgeExported(text[..equals]) is { } verdict)
                {
                    invocation.Report(verdict);
                }

                if (AssignmentJudge.HoldsACommand(text[..equals]))
                {
                    invocation.JudgeShellCode(AssignmentJudge.CommandOf(text[(equals + 1)..]), arguments[index].Origin, $"the command in {text[..equals]}");
                }

                index++;
            }
            else
            {
                break;
            }
        }

        if (index >= arguments.Count)
        {
            invocation.Report(Verdict.ReadsOutside("prints the environment, which may hold secrets"));
            return;
        }

        invocation.JudgeWrapped(arguments.Skip(index).ToList(), state);
    }

    /// <summary><c>command -v</c> and <c>-V</c> only describe; otherwise <c>command</c> runs its operand, skipping functions.</summary>
    private static void JudgeCommandBuiltin(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Plain.StoppingAtFirstOperand());
        if (arguments.Has("v", "V"))
        {
            invocation.Report(Verdict.ReadsOnly("only describes a command"));
            return;
        }

        Unwrap(invocation, CommandSyntax.Plain);
    }

    /// <summary><c>exec</c> without a command only applies its redirections, which are judged on their own.</summary>
    private static void JudgeExec(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("a").StoppingAtFirstOperand());
        if (arguments.Operands.Count == 0)
        {
            invocation.Report(Verdict.ReadsOnly("only changes the shell's descriptors"));
            return;
        }

        Unwrap(invocation, CommandSyntax.Of("a"));
    }

    private static void JudgeBusybox(Invocation invocation)
    {
        if (invocation.Arguments.Count < 2 || invocation.Arguments[1].Text.StartsWith('-'))
        {
            invocation.Report(Verdict.ReadsOnly("only lists its applets"));
            return;
        }

        invocation.JudgeWrapped(invocation.Arguments.Skip(1).ToList());
    }

    /// <summary>
    /// <c>xargs</c> runs its command with arguments read from standard input: known when the pipe's source
    /// is literal (<c>echo a b |</c>) or a <c>find</c> (its starting points), unknown otherwise.
    /// </summary>
    private static void JudgeXargs(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("adEeIiLlnPs", "--arg-file", "--delimiter", "--eof", "--replace", "--max-lines", "--max-args", "--max-procs", "--max-chars", "--process-slot-var").StoppingAtFirstOperand());
        foreach (var file in arguments.Values("a", "--arg-file"))
        {
            PathChecks.Read(invocation.Context, file);
        }

        var command = arguments.Operands.Count == 0 ? [new Field("echo")] : RemainingAfter(invocation.Arguments, arguments.Operands[0]);
        var items = invocation.Input.Items is { Count: > 0 } known && !arguments.Has("a", "--arg-file")
            ? known.Select(item => new Field(item)).ToList()
            : [new Field(Sentinel.Unknown.ToString())];
        var replace = arguments.Options.FirstOrDefault(option => option.Name is "I" or "i" or "--replace");
        if (replace is not null)
        {
            // With a replacement string, each input line is one item, spaces and all.
            var lines = invocation.Input.Text is { } text && !arguments.Has("a", "--arg-file")
                ? text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => new Field(line)).ToList()
                : items;
            var token = replace.Value?.Text ?? "{}";
            foreach (var item in lines)
            {
                invocation.JudgeWrapped(command.Select(field => field with { Text = field.Text.Replace(token, item.Text, StringComparison.Ordinal) }).ToList(), inputOverride: StandardInput.Inherited);
            }

            return;
        }

        invocation.JudgeWrapped([.. command, .. items], inputOverride: StandardInput.Inherited);
    }

    /// <summary><c>watch</c> runs its command again and again, through <c>sh -c</c> unless told otherwise.</summary>
    private static void JudgeWatch(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("dnq", "--differences", "--interval", "--equexit").StoppingAtFirstOperand());
        invocation.Report(Verdict.ControlsProcesses("runs a command repeatedly"));
        if (arguments.Operands.Count == 0)
        {
            return;
        }

        var remaining = RemainingAfter(invocation.Arguments, arguments.Operands[0]);
        if (arguments.Has("x", "--exec"))
        {
            invocation.JudgeWrapped(remaining);
            return;
        }

        var (text, origin) = Invocation.Join(remaining);
        invocation.JudgeShellCode(text, origin, "a watched command");
    }

    private static void JudgeScript(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("cEIOBTt", "--command", "--echo", "--log-in", "--log-out", "--log-io", "--log-timing"));
        foreach (var command in arguments.Values("c", "--command"))
        {
            invocation.JudgeShellCode(command.Text, command.Origin, "a command");
        }

        var log = arguments.Operands.FirstOrDefault() ?? new Field("typescript");
        PathChecks.Write(invocation.Context, log);
    }

    private static void JudgeParallel(Invocation invocation)
    {
        invocation.Report(Verdict.ControlsProcesses("runs commands in parallel"));
        var fields = invocation.Arguments.Skip(1).TakeWhile(field => field.Text is not (":::" or "::::" or ":::+")).SkipWhile(field => field.Text.StartsWith('-')).ToList();
        if (fields.Count == 0)
        {
            invocation.Report(Verdict.Uncertain("runs commands read from its input"));
            return;
        }

        var (text, origin) = Invocation.Join(fields);
        invocation.JudgeShellCode(text.Replace("{}", Sentinel.Unknown.ToString(), StringComparison.Ordinal), origin, "commands");
    }
}
