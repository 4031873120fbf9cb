using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// Commands that create, change or delete files. Inside the workspace they need approval (broad ones, such as
/// recursive deletes, at high risk); any target outside the workspace blocks them.
/// </summary>
internal static class FileCommands
{
    public static IEnumerable<(string Name, CommandRule Rule)> Rules()
    {
        yield return ("rm", JudgeRemove);
        yield return ("rmdir", invocation => JudgeDeleteOperands(invocation, CommandSyntax.Plain, recursive: false));
        yield return ("unlink", invocation => JudgeDeleteOperands(invocation, CommandSyntax.Plain, recursive: false));
        yield return ("shred", invocation => JudgeDeleteOperands(invocation, CommandSyntax.Of("ns", "--iterations", "--size", "--random-source"), recursive: true));
        yield return ("touch", invocation => JudgeTargets(invocation, CommandSyntax.Of("dtr", "--date", "--reference"), "writes", readOptions: ["r", "--reference"]));
        yield return ("mkdir", invocation => JudgeTargets(invocation, CommandSyntax.Of("m", "--mode", "--context"), "creates a directory"));
        yield return ("mkfifo", invocation => JudgeTargets(invocation, CommandSyntax.Of("m", "--mode"), "creates a pipe"));
        yield return ("tee", JudgeTee);
        yield return ("truncate", invocation => JudgeTargets(invocation, CommandSyntax.Of("sr", "--size", "--reference"), "truncates", readOptions: ["r", "--reference"]));
        yield return ("cp", invocation => JudgeCopy(invocation, moves: false));
        yield return ("mv", invocation => JudgeCopy(invocation, moves: true));
        yield return ("install", JudgeInstall);
        yield return ("ln", JudgeLink);
        yield return ("link", JudgeLink);
        yield return ("dd", JudgeDd);
        yield return ("split", JudgeSplit);
        yield return ("csplit", JudgeSplit);
        yield return ("patch", JudgePatch);
        yield return ("mktemp", invocation => invocation.Report(Verdict.WritesWorkspace("creates a temporary file")));
        foreach (var name in new[] { "chmod", "chown", "chgrp", "chattr", "setfacl" })
        {
            yield return (name, JudgePermissions);
        }

        foreach (var name in new[] { "vi", "vim", "nvim", "view", "nano", "pico", "emacs", "ed", "ex", "joe", "micro", "mcedit" })
        {
            yield return (name, JudgeEditor);
        }

        foreach (var name in new[] { "gcc", "g++", "cc", "c++", "clang", "clang++", "gfortran", "javac", "tsc", "rustc", "as", "ld" })
        {
            yield return (name, JudgeCompiler);
        }
    }

    /// <summary>
    /// <c>rm</c>: outside the workspace is blocked; so is a recursive delete of a path an expansion starts
    /// (<c>rm -rf $DIR/</c>), and <c>--no-preserve-root</c> whatever the target.
    /// </summary>
    private static void JudgeRemove(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Plain);
        var recursive = arguments.Has("r", "R", "--recursive");
        if (arguments.Has("--no-preserve-root"))
        {
            invocation.Report(Verdict.Destroys("disables the protection of / (--no-preserve-root)"));
        }

        if (arguments.Operands.Count == 0)
        {
            invocation.Report(Verdict.WritesWorkspace("deletes files"));
        }

        foreach (var target in arguments.Operands)
        {
            PathChecks.Delete(invocation.Context, target, recursive);
        }
    }

    private static void JudgeDeleteOperands(Invocation invocation, CommandSyntax syntax, bool recursive)
    {
        var arguments = invocation.Parse(syntax);
        if (arguments.Operands.Count == 0)
        {
            invocation.Report(Verdict.WritesWorkspace("deletes files"));
        }

        foreach (var target in arguments.Operands)
        {
            PathChecks.Delete(invocation.Context, target, recursive);
        }
    }

    private static void JudgeTargets(Invocation invocation, CommandSyntax syntax, string verb, string[]? readOptions = null)
    {
        var arguments = invocation.Parse(syntax);
        if (arguments.Operands.Count == 0)
        {
            invocation.Report(Verdict.WritesWorkspace($"{verb} files"));
        }

        foreach (var target in arguments.Operands)
        {
            PathChecks.Write(invocation.Context, target, verb);
        }

        foreach (var source in arguments.Values(readOptions ?? []))
        {
            PathChecks.Read(invocation.Context, source);
        }
    }

    private static void JudgeTee(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("", "--output-error"));
        foreach (var target in arguments.Operands)
        {
            PathChecks.Write(invocation.Context, target);
        }

        invocation.Report(Verdict.ReadsOnly("copies its input to its output"));
    }

    /// <summary><c>cp</c> reads its sources; <c>mv</c> also removes them. The destination is written either way.</summary>
    private static void JudgeCopy(Invocation invocation, bool moves)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("tS", "--target-directory", "--suffix"));
        var operands = arguments.Operands.ToList();
        var targets = arguments.Values("t", "--target-directory").ToList();
        if (targets.Count == 0 && operands.Count > 0)
        {
            targets.Add(operands[^1]);
            operands.RemoveAt(operands.Count - 1);
        }

        if (targets.Count == 0 || operands.Count == 0 || arguments.Uncertain)
        {
            invocation.Report(Verdict.Uncertain(moves ? "moves files the policy cannot tell apart" : "copies files the policy cannot tell apart"));
        }

        foreach (var source in operands)
        {
            if (moves)
            {
                PathChecks.Delete(invocation.Context, source, recursive: false, "moves");
            }
            else
            {
                PathChecks.Read(invocation.Context, source);
            }
        }

        foreach (var target in targets)
        {
            PathChecks.Destination(invocation.Context, target, moves ? "moves" : "copies");
        }

        if (arguments.Has("r", "R", "a", "--recursive", "--archive"))
        {
            invocation.Report(Verdict.ChangesWorkspaceBroadly(moves ? "moves recursively" : "copies recursively"));
        }
    }

    private static void JudgeInstall(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("mogSt", "--mode", "--owner", "--group", "--suffix", "--target-directory", "--strip-program"));
        if (arguments.Has("--strip-program"))
        {
            invocation.Report(Verdict.RunsCode("runs a strip program"));
        }

        if (arguments.Has("d", "--directory"))
        {
            foreach (var directory in arguments.Operands)
            {
                PathChecks.Write(invocation.Context, directory, "creates a directory");
            }

            return;
        }

        JudgeCopy(invocation, moves: false);
    }

    /// <summary>
    /// <c>ln</c> writes the link; a link pointing outside the workspace is blocked too, because every later
    /// write through it would land outside.
    /// </summary>
    private static void JudgeLink(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("St", "--suffix", "--target-directory"));
        var operands = arguments.Operands.ToList();
        var directories = arguments.Values("t", "--target-directory").ToList();
        Field link;
        if (directories.Count > 0)
        {
            link = directories[0];
        }
        else if (operands.Count >= 2)
        {
            link = operands[^1];
            operands.RemoveAt(operands.Count - 1);
        }
        else
        {
            link = new Field(".");
        }

        PathChecks.Destination(invocation.Context, link, "creates a link");
        var symbolic = arguments.Has("s", "--symbolic");
        foreach (var target in operands)
        {
            var resolved = symbolic && !target.Text.StartsWith('/') && target.Text.Length > 0 && target.Text[0] != Sentinel.Home
                ? new Field(LinkDirectory(link.Text) + target.Text, target.Origin)
                : target;
            foreach (var path in invocation.Resolve(resolved))
            {
                if (path.Scope != PathScope.Workspace && !SensitivePaths.IsWritableDevice(path))
                {
                    invocation.Report(path.Scope == PathScope.Outside
                        ? Verdict.Destroys($"links to a path outside the workspace ({path.Display})")
                        : Verdict.Uncertain($"links to a path that depends on an expansion ({path.Display})"));
                }
            }

            PathChecks.Secrets(invocation.Context, [target]);
        }
    }

    /// <summary>A relative symbolic link resolves from the directory the link is in.</summary>
    private static string LinkDirectory(string link)
    {
        var slash = link.LastIndexOf('/');
        return slash < 0 ? "" : link[..(slash + 1)];
    }

    /// <summary><c>dd</c>: <c>if=</c> is read, <c>of=</c> written; any device other than the harmless ones is outside, so blocked.</summary>
    private static void JudgeDd(Invocation invocation)
    {
        foreach (var argument in invocation.Arguments.Skip(1))
        {
            if (argument.Text.StartsWith("if=", StringComparison.Ordinal))
            {
                PathChecks.Read(invocation.Context, argument with { Text = argument.Text[3..] });
            }
            else if (argument.Text.StartsWith("of=", StringComparison.Ordinal))
            {
                PathChecks.Write(invocation.Context, argument with { Text = argument.Text[3..] });
            }
        }

        invocation.Report(Verdict.ReadsOnly("copies its input to its output"));
    }

    private static void JudgeSplit(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("abClnt", "--suffix-length", "--additional-suffix", "--bytes", "--line-bytes", "--lines", "--number", "--separator", "--filter", "--prefix", "--digits"));
        if (arguments.Operands.Count > 0)
        {
            PathChecks.Read(invocation.Context, arguments.Operands[0]);
        }

        var prefix = arguments.Operands.Count > 1 ? arguments.Operands[^1] : new Field("x");
        PathChecks.Write(invocation.Context, prefix);
        foreach (var filter in arguments.Values("--filter"))
        {
            invocation.JudgeShellCode(filter.Text, filter.Origin, "a filter command");
        }
    }

    private static void JudgePatch(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("dDioprBVxYzFgM", "--directory", "--input", "--output", "--strip", "--reject-file", "--prefix", "--suffix", "--basename-prefix"));
        var directory = arguments.Values("d", "--directory").FirstOrDefault() ?? new Field(".");
        PathChecks.Write(invocation.Context, directory, "patches files");
        foreach (var output in arguments.Values("o", "--output", "r", "--reject-file").Concat(arguments.Operands.Take(1)))
        {
            PathChecks.Write(invocation.Context, output, "patches files");
        }

        foreach (var input in arguments.Values("i", "--input").Concat(arguments.Operands.Skip(1)))
        {
            PathChecks.Read(invocation.Context, input);
        }
    }

    /// <summary><c>chmod</c> and friends: the first operand is the mode or owner, unless <c>--reference</c> gave it.</summary>
    private static void JudgePermissions(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("", "--reference", "--from"));
        var skip = arguments.Has("--reference") || invocation.Name == "setfacl" ? 0 : 1;
        var targets = arguments.Operands.Skip(skip).ToList();
        if (invocation.Name == "chmod" && arguments.Operands.Count > 0 && arguments.Operands[0].Text.StartsWith('-'))
        {
            targets = arguments.Operands.ToList();
        }

        if (targets.Count == 0)
        {
            invocation.Report(Verdict.WritesWorkspace("changes permissions"));
        }

        var recursive = arguments.Has("R", "--recursive");
        foreach (var target in targets)
        {
            PathChecks.Write(invocation.Context, target, recursive ? "changes permissions recursively" : "changes permissions");
        }

        if (recursive)
        {
            invocation.Report(Verdict.ChangesWorkspaceBroadly("changes permissions recursively"));
        }
    }

    private static void JudgeEditor(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("cSsuiTwW"));
        foreach (var file in arguments.Operands.Where(operand => !operand.Text.StartsWith('+')))
        {
            PathChecks.Write(invocation.Context, file, "edits");
        }

        if (arguments.Has("c") || arguments.Operands.Any(operand => operand.Text.StartsWith('+')))
        {
            invocation.Report(Verdict.RunsCode("runs editor commands, which can run shell commands"));
        }

        invocation.Report(Verdict.WritesWorkspace("opens an editor"));
    }

    private static void JudgeCompiler(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("oIDLlxuWfOgmBUz", "--output", "--outDir", "--outFile", "--project", "-d"));
        foreach (var output in arguments.Values("o", "--output", "--outDir", "--outFile", "d"))
        {
            PathChecks.Write(invocation.Context, output);
        }

        foreach (var source in arguments.Operands)
        {
            PathChecks.Read(invocation.Context, source);
        }

        invocation.Report(Verdict.WritesWorkspace("compiles into the workspace"));
    }
}
