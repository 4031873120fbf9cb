using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// <c>find</c> reads its starting points. <c>-delete</c> deletes under them; <c>-exec</c>, <c>-execdir</c>,
/// <c>-ok</c> and <c>-okdir</c> run a command, judged with <c>{}</c> standing for the starting point itself
/// (the first thing find reports), so <c>find / -exec rm -rf {} \;</c> is judged as <c>rm -rf /</c>;
/// <c>-fprint</c> and friends write a file.
/// </summary>
internal static class FindCommand
{
    private const int MaximumRoots = 4;

    private static readonly HashSet<string> TestsWithValue =
    [
        "-name", "-iname", "-path", "-ipath", "-wholename", "-iwholename", "-regex", "-iregex", "-lname", "-ilname", "-type",
        "-xtype", "-size", "-mtime", "-mmin", "-atime", "-amin", "-ctime", "-cmin", "-newer", "-anewer", "-cnewer",
        "-perm", "-user", "-group", "-uid", "-gid", "-links", "-inum", "-samefile", "-maxdepth", "-mindepth", "-used",
        "-fstype", "-context", "-printf", "-regextype", "-files0-from", "-newermt", "-newerct", "-newerat", "-newermm",
    ];

    private static readonly HashSet<string> FileWriters = ["-fprint", "-fprint0", "-fls", "-fprintf"];

    private static readonly HashSet<string> Executors = ["-exec", "-execdir", "-ok", "-okdir"];

    public static IEnumerable<(string Name, CommandRule Rule)> Rules()
    {
        yield return ("find", Judge);
        yield return ("gfind", Judge);
    }

    private static void Judge(Invocation invocation)
    {
        var arguments = invocation.Arguments;
        var context = invocation.Context;
        var index = 1;
        while (index < arguments.Count && arguments[index].Text is "-H" or "-L" or "-P" || (index < arguments.Count && arguments[index].Text.StartsWith("-O", StringComparison.Ordinal)))
        {
            index++;
        }

        if (index < arguments.Count && arguments[index].Text == "-D")
        {
            index += 2;
        }

        var roots = new List<Field>();
        while (index < arguments.Count && !IsExpressionStart(arguments[index].Text))
        {
            roots.Add(arguments[index++]);
        }

        if (roots.Count == 0)
        {
            roots.Add(new Field("."));
        }

        foreach (var root in roots)
        {
            PathChecks.Read(context, root, metadataOnly: true);
        }

        while (index < arguments.Count)
        {
            var primary = arguments[index].Text;
            if (primary == "-delete")
            {
                roots.ForEach(root => PathChecks.Delete(context, root, recursive: true));
                index++;
            }
            else if (Executors.Contains(primary))
            {
                var end = index + 1;
                while (end < arguments.Count && arguments[end].Text is not (";" or "+"))
                {
                    end++;
                }

                var command = arguments.Skip(index + 1).Take(end - index - 1).ToList();
                JudgeExecuted(invocation, command, roots, inFoundDirectory: primary.EndsWith("dir", StringComparison.Ordinal));
                if (end >= arguments.Count)
                {
                    invocation.Report(Verdict.Uncertain($"has a `{primary}` without its closing `;` or `+`"));
                }

                index = end + 1;
            }
            else if (FileWriters.Contains(primary))
            {
                if (index + 1 < arguments.Count)
                {
                    PathChecks.Write(context, arguments[index + 1]);
                }

                index += primary == "-fprintf" ? 3 : 2;
            }
            else
            {
                if (TestsWithValue.Contains(primary) && index + 1 < arguments.Count)
                {
                    PathChecks.Secrets(context, [arguments[index + 1]]);
                    index++;
                }

                index++;
            }
        }

        invocation.Report(Verdict.ReadsOnly("only reads"));
    }

    private static bool IsExpressionStart(string text) => text.Length > 0 && (text[0] == '-' || text is "(" or "!" or ")" or ",");

    private static void JudgeExecuted(Invocation invocation, List<Field> command, List<Field> roots, bool inFoundDirectory)
    {
        if (command.Count == 0)
        {
            invocation.Report(Verdict.Uncertain("runs an empty command"));
            return;
        }

        foreach (var root in roots.Take(MaximumRoots))
        {
            var substituted = command.Select(field => field with { Text = field.Text.Replace("{}", root.Text, StringComparison.Ordinal) }).ToList();
            var state = inFoundDirectory ? invocation.State.WithDirectories(invocation.Resolve(root).Select(path => path.Path)) : invocation.State;
            invocation.JudgeWrapped(substituted, state, StandardInput.Inherited);
        }
    }
}
