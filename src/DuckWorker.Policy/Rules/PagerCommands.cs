using System.Text.RegularExpressions;
using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// <c>less</c>, <c>more</c> and their kin print a file, but a <c>+</c> argument is a command the pager runs at start
/// (<c>less '+!cmd'</c> runs a shell command, <c>+s file</c> writes, <c>+F</c> follows forever), and a lesskey file
/// can bind keys to commands and set <c>LESSOPEN</c>. Only moving to a line or a pattern passes.
/// </summary>
internal static partial class PagerCommands
{
    public static IEnumerable<(string Name, CommandRule Rule)> Rules()
    {
        var pager = new ReadOnlyCommand(
            CommandSyntax.Of("bhjkopPtTxyz", "--log-file", "--LOG-FILE", "--tag", "--tag-file", "--lesskey-file", "--lesskey-src", "--lesskey-content"),
            Extra: Judge);
        foreach (var name in new[] { "less", "most", "zless", "zmore", "more", "pg" })
        {
            yield return (name, pager.Judge);
        }
    }

    private static void Judge(Invocation invocation, ParsedArguments arguments)
    {
        ReadOnlyCommands.WriteValues(invocation, arguments, "o", "O", "--log-file", "--LOG-FILE");
        if (arguments.Has("k", "--lesskey-file", "--lesskey-src", "--lesskey-content"))
        {
            invocation.Report(Verdict.RunsCode("reads key bindings from a lesskey file, which can run commands"));
        }

        foreach (var command in invocation.Arguments.Skip(1).Where(field => field.Text.StartsWith('+')).Select(field => field with { Text = field.Text.TrimStart('+') }))
        {
            if (Movement().IsMatch(command.Text))
            {
                continue;
            }

            var bang = command.Text.IndexOf('!');
            if (bang >= 0)
            {
                invocation.Report(Verdict.RunsCode("runs a shell command from the pager"));
                invocation.JudgeShellCode(command.Text[(bang + 1)..], command.Origin, "a pager's shell command");
            }
            else if (command.Text is "F")
            {
                invocation.Report(Verdict.ControlsProcesses("follows the file and never ends"));
            }
            else
            {
                invocation.Report(Verdict.Uncertain($"runs a pager command at start ({command.Display})"));
            }
        }
    }

    /// <summary>A line number, the start or end, or a search: <c>+42</c>, <c>+G</c>, <c>+/TODO</c>.</summary>
    [GeneratedRegex(@"^(\d*[Gg]?|/[^!|]*)$")]
    private static partial Regex Movement();
}
