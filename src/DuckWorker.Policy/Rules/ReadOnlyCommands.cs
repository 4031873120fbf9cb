using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// Commands that run at once when every path they read is inside the workspace: listing, viewing, searching,
/// comparing, hashing, and reporting on the system. The few options that make them write or run something
/// (<c>sort -o</c>, <c>tail -f</c>, <c>tree -o</c>, <c>date -s</c>…) are caught here too.
/// </summary>
internal static class ReadOnlyCommands
{
    private static readonly string[] Recursive = ["r", "R", "--recursive", "--dereference-recursive"];

    public static IEnumerable<(string Name, CommandRule Rule)> Rules()
    {
        var listing = new ReadOnlyCommand(
            CommandSyntax.Of("ITw", "--ignore", "--hide", "--width", "--tabsize", "--format", "--sort", "--time", "--time-style", "--block-size", "--color", "--indicator-style", "--quoting-style"),
            Metadata: true, DefaultsToDirectory: _ => true);
        foreach (var name in new[] { "ls", "dir", "vdir" })
        {
            yield return (name, listing.Judge);
        }

        var plainReaders = new ReadOnlyCommand(CommandSyntax.Of("wsdbfhilnvtcgpANSeoa", "--width", "--separator", "--tabs", "--delimiters", "--address-radix", "--skip-bytes", "--read-bytes", "--format", "--strings", "--bytes", "--radix", "--encoding", "--wrap", "--algorithm", "--length", "--files0-from"));
        foreach (var name in new[]
        {
            "cat", "tac", "nl", "rev", "fold", "fmt", "expand", "unexpand", "paste", "od", "strings", "base32", "base64", "basenc",
            "md5sum", "sha1sum", "sha224sum", "sha256sum", "sha384sum", "sha512sum", "b2sum", "cksum", "sum", "shasum", "wc",
            "comm", "zcat", "bzcat", "xzcat", "zstdcat", "lzcat", "column", "look",
        })
        {
            yield return (name, plainReaders.Judge);
        }

        yield return ("hexdump", new ReadOnlyCommand(CommandSyntax.Of("efns"), FileOptions: ["f"]).Judge);
        yield return ("head", new ReadOnlyCommand(CommandSyntax.Of("nc", "--lines", "--bytes")).Judge);
        yield return ("tail", new ReadOnlyCommand(CommandSyntax.Of("ncs", "--lines", "--bytes", "--pid", "--sleep-interval", "--max-unchanged-stats"), Extra: JudgeTail).Judge);
        yield return ("cut", new ReadOnlyCommand(CommandSyntax.Of("bcdf", "--bytes", "--characters", "--delimiter", "--fields", "--output-delimiter")).Judge);
        yield return ("join", new ReadOnlyCommand(CommandSyntax.Of("12jteoav")).Judge);
        yield return ("cmp", new ReadOnlyCommand(CommandSyntax.Of("in", "--ignore-initial", "--bytes")).Judge);
        var diff = new ReadOnlyCommand(
            CommandSyntax.Of("UCFIxXSLW", "--label", "--ignore-matching-lines", "--exclude", "--exclude-from", "--starting-file", "--to-file", "--from-file", "--horizon-lines", "--tabsize", "--width", "--show-function-line", "--unchanged-group-format", "--old-group-format", "--new-group-format", "--changed-group-format", "--line-format"),
            FileOptions: ["X", "--exclude-from", "--to-file", "--from-file"]);
        yield return ("diff", diff.Judge);
        yield return ("diff3", diff.Judge);
        yield return ("sdiff", new ReadOnlyCommand(CommandSyntax.Of("oIw", "--output", "--ignore-matching-lines", "--width"), Extra: (invocation, arguments) => WriteValues(invocation, arguments, "o", "--output")).Judge);
        yield return ("tr", new ReadOnlyCommand(CommandSyntax.Plain, NoFiles: true).Judge);
        yield return ("uniq", new ReadOnlyCommand(CommandSyntax.Of("fsw", "--skip-fields", "--skip-chars", "--check-chars", "--group", "--all-repeated"), Extra: JudgeOutputOperand).Judge);
        yield return ("sort", new ReadOnlyCommand(CommandSyntax.Of("ktoTS", "--key", "--field-separator", "--output", "--temporary-directory", "--buffer-size", "--parallel", "--files0-from", "--random-source", "--compress-program", "--batch-size", "--sort"), Extra: JudgeSort).Judge);
        yield return ("xxd", new ReadOnlyCommand(CommandSyntax.Of("cglosnC", "--cols", "--groupsize", "--len", "--offset", "--seek", "--name"), Extra: JudgeOutputOperand).Judge);
        yield return ("iconv", new ReadOnlyCommand(CommandSyntax.Of("fto", "--from-code", "--to-code", "--output"), Extra: (invocation, arguments) => WriteValues(invocation, arguments, "o", "--output")).Judge);
        foreach (var name in new[] { "jq", "yq", "gojq" })
        {
            yield return (name, JudgeQuery);
        }

        var grep = new ReadOnlyCommand(
            CommandSyntax.Of("efmABCdD", "--regexp", "--file", "--max-count", "--after-context", "--before-context", "--context", "--include", "--exclude", "--exclude-dir", "--exclude-from", "--label", "--binary-files", "--devices", "--directories", "--color", "--colour", "--group-separator"),
            PatternOperands: 1, PatternOptions: ["e", "f", "--regexp", "--file"], FileOptions: ["f", "--file", "--exclude-from"],
            DefaultsToDirectory: arguments => arguments.Has(Recursive));
        foreach (var name in new[] { "grep", "egrep", "fgrep", "zgrep" })
        {
            yield return (name, grep.Judge);
        }

        yield return ("rg", new ReadOnlyCommand(
            CommandSyntax.Of("efgtTmABCjMEdr", "--regexp", "--file", "--glob", "--iglob", "--type", "--type-not", "--max-count", "--after-context", "--before-context", "--context", "--threads", "--max-columns", "--encoding", "--max-depth", "--replace", "--type-add", "--type-clear", "--ignore-file", "--pre", "--pre-glob", "--sort", "--sortr", "--color", "--colors", "--path-separator", "--context-separator", "--max-filesize", "--engine"),
            PatternOperands: 1, PatternOptions: ["e", "f", "--regexp", "--file", "--files", "--type-list"], FileOptions: ["f", "--file", "--ignore-file"],
            DefaultsToDirectory: _ => true, Extra: JudgePreprocessor).Judge);
        var searcher = new ReadOnlyCommand(CommandSyntax.Of("GgmABC", "--ignore-dir", "--file-search-regex", "--max-count"), PatternOperands: 1, DefaultsToDirectory: _ => true);
        yield return ("ag", searcher.Judge);
        yield return ("ack", searcher.Judge);

        var metadata = new ReadOnlyCommand(CommandSyntax.Of("cdBtX", "--format", "--printf", "--max-depth", "--block-size", "--threshold", "--exclude", "--exclude-from", "--time", "--time-style", "--files0-from", "--output"), Metadata: true);
        foreach (var name in new[] { "stat", "df", "realpath", "readlink", "namei", "lsattr", "getfacl" })
        {
            yield return (name, metadata.Judge);
        }

        yield return ("du", (metadata with { DefaultsToDirectory = _ => true }).Judge);
        yield return ("file", new ReadOnlyCommand(CommandSyntax.Of("mfFeP", "--magic-file", "--files-from", "--separator", "--exclude", "--parameter"), Metadata: true, FileOptions: ["f", "--files-from", "m", "--magic-file"], Extra: JudgeFileCompile).Judge);
        yield return ("tree", new ReadOnlyCommand(CommandSyntax.Of("LPIoHT", "--filelimit", "--charset", "--sort", "--timefmt", "--fromfile"), Metadata: true, DefaultsToDirectory: _ => true, Extra: (invocation, arguments) => WriteValues(invocation, arguments, "o")).Judge);

        var reporter = new ReadOnlyCommand(CommandSyntax.Plain, NoFiles: true);
        foreach (var name in new[]
        {
            "pwd", "echo", "printf", "true", "false", "test", "[", "which", "whereis", "type", "whoami", "id", "groups", "uname",
            "arch", "nproc", "uptime", "cal", "sleep", "seq", "yes", "expr", "factor", "numfmt", "tty", "locale", "logname",
            "getconf", "free", "lscpu", "jobs", "times", "users", "who", "pgrep", "basename", "dirname", "wait", "let",
            "shift", "exit", "return", "break", "continue", ":", "getopts", "umask", "ulimit", "caller", "dirs", "read",
            "mapfile", "readarray", "compgen", "help", "cd", "pushd", "popd", "tput", "clear",
        })
        {
            yield return (name, reporter.Judge);
        }

        yield return ("date", new ReadOnlyCommand(CommandSyntax.Of("dfrsI", "--date", "--file", "--reference", "--set", "--iso-8601", "--rfc-3339"), NoFiles: true, Extra: JudgeDate).Judge);
        yield return ("hostname", new ReadOnlyCommand(CommandSyntax.Of("F", "--file"), NoFiles: true, Extra: JudgeHostname).Judge);
    }

    private static void JudgeTail(Invocation invocation, ParsedArguments arguments)
    {
        // Following never ends on its own; it would hold the worker until the timeout.
        if (arguments.Has("f", "F", "--follow", "--retry"))
        {
            invocation.Report(Verdict.ControlsProcesses("follows the file and never finishes on its own"));
        }
    }

    private static void JudgeSort(Invocation invocation, ParsedArguments arguments)
    {
        WriteValues(invocation, arguments, "o", "--output");
        WriteValues(invocation, arguments, "T", "--temporary-directory");
        foreach (var program in arguments.Values("--compress-program"))
        {
            invocation.Report(Verdict.RunsCode("runs a compression program"));
            invocation.JudgeWrapped([program]);
        }
    }

    private static void JudgePreprocessor(Invocation invocation, ParsedArguments arguments)
    {
        foreach (var program in arguments.Values("--pre"))
        {
            invocation.Report(Verdict.RunsCode("runs a preprocessor on every file"));
            invocation.JudgeWrapped([program]);
        }
    }

    private static void JudgeOutputOperand(Invocation invocation, ParsedArguments arguments)
    {
        if (arguments.Operands.Count >= 2)
        {
            PathChecks.Write(invocation.Context, arguments.Operands[1]);
        }
    }

    /// <summary>
    /// <c>jq</c>: <c>--arg</c>, <c>--argjson</c>, <c>--slurpfile</c> and <c>--rawfile</c> take a name and a value (the
    /// last two a file, which is read); the first operand is the filter unless <c>-f</c> gave one; <c>--args</c>
    /// turns the rest into strings; <c>yq -i</c> edits in place.
    /// </summary>
    private static void JudgeQuery(Invocation invocation)
    {
        var context = invocation.Context;
        var arguments = invocation.Arguments;
        var operands = new List<Field>();
        var filterGiven = false;
        var inPlace = false;
        for (var index = 1; index < arguments.Count; index++)
        {
            var text = arguments[index].Text;
            if (text is "--arg" or "--argjson" or "--slurpfile" or "--rawfile")
            {
                if (text is "--slurpfile" or "--rawfile" && index + 2 < arguments.Count)
                {
                    PathChecks.Read(context, arguments[index + 2]);
                }

                index += 2;
            }
            else if (text is "-f" or "--from-file" or "-L" or "--indent" && index + 1 < arguments.Count)
            {
                if (text is not "--indent")
                {
                    PathChecks.Read(context, arguments[index + 1], metadataOnly: text == "-L");
                }

                filterGiven |= text is "-f" or "--from-file";
                index++;
            }
            else if (text is "--args" or "--jsonargs")
            {
                break;
            }
            else if (text.StartsWith('-') && text.Length > 1)
            {
                inPlace |= text is "-i" or "--inplace";
            }
            else
            {
                operands.Add(arguments[index]);
            }
        }

        foreach (var file in operands.Skip(filterGiven ? 0 : 1).Where(field => field.Text != "-"))
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

        invocation.Report(Verdict.ReadsOnly("only reads"));
    }

    private static void JudgeFileCompile(Invocation invocation, ParsedArguments arguments)
    {
        if (arguments.Has("C", "--compile"))
        {
            invocation.Report(Verdict.WritesWorkspace("compiles a magic file into the working directory"));
        }
    }

    private static void JudgeDate(Invocation invocation, ParsedArguments arguments)
    {
        if (arguments.Has("s", "--set") || arguments.Operands.Any(operand => !operand.Text.StartsWith('+')))
        {
            invocation.Report(Verdict.TakesOver("sets the system clock"));
        }

        foreach (var file in arguments.Values("f", "--file", "r", "--reference"))
        {
            PathChecks.Read(invocation.Context, file);
        }
    }

    private static void JudgeHostname(Invocation invocation, ParsedArguments arguments)
    {
        if (arguments.Operands.Count > 0 || arguments.Has("F", "--file", "b", "--boot"))
        {
            invocation.Report(Verdict.TakesOver("changes the host name"));
        }
    }

    internal static void WriteValues(Invocation invocation, ParsedArguments arguments, params string[] options)
    {
        foreach (var target in arguments.Values(options))
        {
            PathChecks.Write(invocation.Context, target);
        }
    }
}
