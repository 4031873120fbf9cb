using System.Text;
using System.Text.RegularExpressions;
using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// What a one-liner in another language visibly does, found in its text: the shell commands it runs where they are
/// literals (<c>os.system("…")</c>, <c>subprocess.run(["rm", "-rf", "/x"])</c>, <c>execSync('…')</c>, perl
/// <c>system</c>, backticks and <c>qx</c>), the files it deletes or writes where the path is a literal
/// (<c>shutil.rmtree('/')</c>, <c>fs.rmSync('/', …)</c>, <c>open('/etc/x', 'w')</c>), and forks in a loop (a fork bomb).
/// Commands are judged as if run here and paths are checked like any other; the code as a whole still needs approval,
/// so what the patterns miss is never run on faith.
/// </summary>
internal static partial class InlineCodeEffects
{
    private const string Literal = """[rbuRBUf]?(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""";

    private static readonly HashSet<string> BacktickLanguages = ["perl", "ruby", "php"];

    private static readonly HashSet<string> RecursiveDeletes = ["rmtree", "rmSync", "rm", "rm_rf", "rm_r", "remove_tree", "removedirs"];

    public static void Judge(Invocation invocation, Field code, string language)
    {
        var text = code.Text;
        if (ForkCall().IsMatch(text) && Loop().IsMatch(text))
        {
            invocation.Report(Verdict.Destroys($"runs {language} code that forks in a loop (a fork bomb)"));
        }

        foreach (var command in Commands(text, language))
        {
            invocation.JudgeShellCode(command, code.Origin, $"a command the {language} code runs");
        }

        foreach (Match match in DeleteCall().Matches(text))
        {
            var recursive = RecursiveDeletes.Contains(match.Groups["call"].Value) || text.Contains("recursive", StringComparison.Ordinal);
            PathChecks.Delete(invocation.Context, code with { Text = Unquote(match.Groups["path"].Value) }, recursive);
        }

        foreach (var path in WriteCall().Matches(text).Concat(CopyCall().Matches(text)).Concat(OpenForWriting().Matches(text)).Concat(PerlOpenForWriting().Matches(text)))
        {
            PathChecks.Write(invocation.Context, code with { Text = Unquote(path.Groups["path"].Value).Trim() });
        }
    }

    /// <summary>The shell text of every command the code runs with literal arguments.</summary>
    private static IEnumerable<string> Commands(string text, string language)
    {
        foreach (Match match in ProcessCall().Matches(text))
        {
            var first = match.Groups["args"].Value;
            if (first.StartsWith('['))
            {
                yield return ArgumentVector(first);
            }
            else if (match.Groups["more"].Success)
            {
                yield return Quote(Unquote(first)) + " " + ArgumentVector(match.Groups["more"].Value.TrimStart(' ', ','));
            }
            else
            {
                yield return Unquote(first);
            }
        }

        if (BacktickLanguages.Contains(language))
        {
            foreach (Match match in Backticks().Matches(text))
            {
                yield return match.Groups["command"].Value;
            }

            foreach (Match match in QuotedExecution().Matches(text))
            {
                yield return match.Groups["command"].Value;
            }
        }

        foreach (Match match in PipeOpen().Matches(text))
        {
            yield return match.Groups["command"].Value.Trim('|', ' ');
        }
    }

    /// <summary>A list of arguments as a shell command line: literals quoted, anything else an unknown value.</summary>
    private static string ArgumentVector(string list)
    {
        var items = list.Trim('[', ']').Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var shell = new StringBuilder();
        foreach (var item in items)
        {
            shell.Append(shell.Length == 0 ? "" : " ");
            shell.Append(LiteralOnly().IsMatch(item) ? Quote(Unquote(item)) : "\"${__unknown_value__}\"");
        }

        return shell.ToString();
    }

    private static string Unquote(string literal)
    {
        var start = literal.IndexOfAny(['"', '\'']);
        var body = start < 0 ? literal : literal[(start + 1)..^1];
        return EscapedCharacter().Replace(body, "$1");
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"(?:\bfork\b|_fork\b|\.fork\b)")]
    private static partial Regex ForkCall();

    [GeneratedRegex(@"\b(?:while|until|loop|for|setInterval|repeat)\b")]
    private static partial Regex Loop();

    [GeneratedRegex(@"\b(?<call>system|popen|exec|execSync|execFile|execFileSync|spawn|spawnSync|shell_exec|passthru|proc_open|getoutput|getstatusoutput|check_output|check_call|call|run|Popen|capture2|capture2e|capture3|popen3|execl|execlp|execv|execvp|execvpe|spawnl|spawnlp|spawnv|spawnvp)\s*\(?\s*(?<args>\[[^\]]*\]|" + Literal + @")(?<more>\s*,\s*\[[^\]]*\])?")]
    private static partial Regex ProcessCall();

    [GeneratedRegex(@"`(?<command>[^`]*)`")]
    private static partial Regex Backticks();

    [GeneratedRegex(@"(?:\bqx|%x)\s*(?:\((?<command>[^)]*)\)|\{(?<command>[^}]*)\}|/(?<command>[^/]*)/|\[(?<command>[^\]]*)\])")]
    private static partial Regex QuotedExecution();

    [GeneratedRegex(@"\bopen\s*\(?\s*[\w$]+\s*,\s*[""'](?<command>\|[^""']*|[^""'>]*\|)\s*[""']")]
    private static partial Regex PipeOpen();

    [GeneratedRegex(@"\b(?<call>rmtree|remove|unlink|unlinkSync|rmdir|rmdirSync|removedirs|rmSync|rm|rm_rf|rm_r|rm_f|remove_tree)\s*\(?\s*(?<path>" + Literal + ")")]
    private static partial Regex DeleteCall();

    [GeneratedRegex(@"\b(?:writeFileSync|appendFileSync|writeFile|appendFile|file_put_contents|createWriteStream|truncate)\s*\(\s*(?<path>" + Literal + ")")]
    private static partial Regex WriteCall();

    /// <summary>Copies, moves and links: the second literal is where they land.</summary>
    [GeneratedRegex(@"\b(?:copyfile|copy|copy2|copytree|copyFileSync|cpSync|move|rename|renameSync|symlink|symlinkSync|link|linkSync)\s*\(\s*" + Literal + @"\s*,\s*(?<path>" + Literal + ")")]
    private static partial Regex CopyCall();

    [GeneratedRegex(@"\bopen\s*\(\s*(?<path>" + Literal + @")\s*,\s*[rbuRBU]?[""'][^""']*[wax+]")]
    private static partial Regex OpenForWriting();

    [GeneratedRegex(@"\bopen\s*\(?\s*[\w$]+\s*,\s*[""']\+?>>?\s*(?<path>[^""'&|][^""']*)[""']")]
    private static partial Regex PerlOpenForWriting();

    [GeneratedRegex(@"^" + Literal + "$")]
    private static partial Regex LiteralOnly();

    [GeneratedRegex(@"\\(.)")]
    private static partial Regex EscapedCharacter();
}
