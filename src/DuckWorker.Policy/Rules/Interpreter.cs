using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// How one language's interpreter takes code on its command line: options whose value is code
/// (<c>python -c</c>, <c>node -e</c>), whose value is a module to run (<c>python -m</c>), and short options
/// that take some other value. <paramref name="CodeLetterInClusters"/> is for perl and ruby, where
/// <c>-ne</c> or <c>-lane</c> end in the code option.
/// </summary>
internal sealed record Interpreter(
    string Language,
    string[] CodeOptions,
    string[] ModuleOptions,
    string ShortWithValue,
    string[] LongWithValue,
    bool CodeLetterInClusters = false)
{
    private static readonly HashSet<string> VersionFlags = ["--version", "-V", "-v", "--help", "-h", "-version", "version"];

    public void Judge(Invocation invocation)
    {
        var arguments = invocation.Arguments;
        PathChecks.Secrets(invocation.Context, arguments.Skip(1));
        if (arguments.Count == 2 && VersionFlags.Contains(arguments[1].Text))
        {
            invocation.Report(Verdict.ReadsOnly("only prints its version or help"));
            return;
        }

        var index = 1;
        while (index < arguments.Count)
        {
            var text = arguments[index].Text;
            if (text == "-")
            {
                break;
            }

            if (!text.StartsWith('-') || text.Length < 2)
            {
                ShellCommands.JudgeScriptFile(invocation, arguments[index], Language);
                return;
            }

            if (TryTakeValue(arguments, ref index, CodeOptions, CodeLetterInClusters ? "eE" : "", out var code))
            {
                if (code is null)
                {
                    invocation.Report(Verdict.Uncertain($"passes {Language} code the policy cannot find"));
                    return;
                }

                InlineCode.Judge(invocation, code, Language);
                JudgeFileOperands(invocation, index);
                return;
            }

            if (TryTakeValue(arguments, ref index, ModuleOptions, "", out var module))
            {
                JudgeModule(invocation, module, index);
                JudgeFileOperands(invocation, index);
                return;
            }

            index += TakesValue(text) && !text.Contains('=') ? 2 : 1;
        }

        ShellCommands.JudgeCodeFromInput(invocation, Language, parseAsShell: false);
    }

    /// <summary>
    /// Files after inline code are read, or edited in place with <c>-i</c> (<c>perl -pi -e … file</c>), so they are
    /// checked like any other read or write.
    /// </summary>
    private void JudgeFileOperands(Invocation invocation, int from)
    {
        var inPlace = CodeLetterInClusters && invocation.Arguments.Skip(1).Any(field =>
            field.Text.Length > 1 && field.Text[0] == '-' && field.Text[1] != '-' && field.Text.AsSpan(1).IndexOf('i') >= 0
            && field.Text.AsSpan(1).IndexOfAny("eE") is var code && (code < 0 || field.Text.AsSpan(1).IndexOf('i') < code));
        foreach (var file in invocation.Arguments.Skip(from).Where(field => !field.Text.StartsWith('-')))
        {
            if (inPlace)
            {
                PathChecks.Write(invocation.Context, file, "edits");
            }
            else
            {
                PathChecks.Read(invocation.Context, file);
            }
        }
    }

    private bool TakesValue(string option) =>
        LongWithValue.Contains(option) || (option.Length == 2 && option[0] == '-' && ShortWithValue.Contains(option[1]));

    /// <summary>Finds the value of one of <paramref name="options"/> at <paramref name="index"/>: the next argument, or glued on.</summary>
    private static bool TryTakeValue(IReadOnlyList<Field> arguments, ref int index, string[] options, string clusterLetters, out Field? value)
    {
        var field = arguments[index];
        var text = field.Text;
        value = null;
        foreach (var option in options)
        {
            if (text == option)
            {
                value = index + 1 < arguments.Count ? arguments[index + 1] : null;
                index += 2;
                return true;
            }

            if (option.Length == 2 && text.StartsWith(option, StringComparison.Ordinal) && !text.StartsWith("--", StringComparison.Ordinal))
            {
                value = field with { Text = text[2..] };
                index++;
                return true;
            }

            if (text.StartsWith(option + "=", StringComparison.Ordinal))
            {
                value = field with { Text = text[(option.Length + 1)..] };
                index++;
                return true;
            }
        }

        var letter = clusterLetters.Length == 0 || text.StartsWith("--", StringComparison.Ordinal) ? -1 : text.AsSpan(1).IndexOfAny(clusterLetters);
        if (letter < 0)
        {
            return false;
        }

        var rest = text[(letter + 2)..];
        value = rest.Length > 0 ? field with { Text = rest } : index + 1 < arguments.Count ? arguments[index + 1] : null;
        index += rest.Length > 0 ? 1 : 2;
        return true;
    }

    private void JudgeModule(Invocation invocation, Field? module, int next)
    {
        if (module is null)
        {
            invocation.Report(Verdict.Uncertain($"runs a {Language} module the policy cannot find"));
            return;
        }

        if (module.Text is "pip" or "pip3" && Language == "python")
        {
            invocation.JudgeWrapped([new Field("pip"), .. invocation.Arguments.Skip(next)]);
            return;
        }

        invocation.Report(module.Text is "http.server" or "SimpleHTTPServer" or "smtpd" or "ftplib"
            ? Verdict.UsesNetwork($"runs the {module.Display} module, which serves or fetches over the network")
            : Verdict.RunsCode($"runs the {Language} module {module.Display}"));
    }
}
