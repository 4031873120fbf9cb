using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// <c>git</c>, by subcommand: inspecting the repository runs at once; changing it needs approval (resets,
/// cleans and history rewrites at high risk); fetching and pushing is network; configuration that can run
/// programs (<c>core.pager</c>, <c>alias.x=!…</c>, <c>core.sshCommand</c>…) has its program judged; changing
/// the global or system configuration is blocked. Unknown subcommands (aliases) need approval.
/// </summary>
internal static class GitCommand
{
    private static readonly HashSet<string> ReadVerbs =
    [
        "status", "log", "diff", "show", "rev-parse", "ls-files", "ls-tree", "blame", "annotate", "grep", "shortlog", "describe",
        "cat-file", "rev-list", "show-ref", "for-each-ref", "whatchanged", "name-rev", "merge-base", "count-objects", "version",
        "help", "check-ignore", "check-attr", "check-ref-format", "var", "cherry", "range-diff", "diff-tree", "diff-files",
        "diff-index", "show-branch", "verify-commit", "verify-tag", "verify-pack", "fsck", "get-tar-commit-id", "hash-object",
        "mailinfo", "column",
    ];

    private static readonly HashSet<string> NetworkVerbs = ["pull", "fetch", "clone", "ls-remote", "send-email", "request-pull", "svn", "p4", "fetch-pack", "send-pack", "remote-https"];

    private static readonly HashSet<string> WriteVerbs =
    [
        "commit", "checkout", "switch", "restore", "add", "rm", "mv", "merge", "cherry-pick", "revert", "am", "apply", "init",
        "update-index", "update-ref", "symbolic-ref", "gc", "prune", "repack", "maintenance", "sparse-checkout", "format-patch",
        "replace", "pack-refs", "commit-tree", "mktree", "mktag", "read-tree", "write-tree", "checkout-index", "merge-file",
        "unpack-objects", "stage", "citool", "gui", "rerere", "fast-import", "index-pack",
    ];

    private static readonly HashSet<string> BroadVerbs = ["clean", "filter-branch", "filter-repo"];

    private static readonly string[] ExecutableConfigKeys =
    [
        "core.pager", "core.editor", "core.sshcommand", "core.fsmonitor", "core.hookspath", "core.askpass", "core.gitproxy",
        "diff.external", "credential.helper", "sequence.editor", "gpg.program", "uploadpack.packobjectshook", "web.browser",
        "init.templatedir", "include.path", "includeif.",
    ];

    public static IEnumerable<(string Name, CommandRule Rule)> Rules()
    {
        yield return ("git", Judge);
    }

    private static void Judge(Invocation invocation)
    {
        var arguments = invocation.Arguments;
        var state = invocation.State;
        var index = 1;
        while (index < arguments.Count && arguments[index].Text.StartsWith('-'))
        {
            var text = arguments[index].Text;
            if (text is "-C" && index + 1 < arguments.Count)
            {
                var directory = arguments[index + 1];
                PathChecks.Read(invocation.Context, directory, metadataOnly: true);
                state = state.WithDirectories(invocation.Resolve(directory).Select(path => path.Path));
                index += 2;
            }
            else if (text is "-c" && index + 1 < arguments.Count)
            {
                JudgeConfigPair(invocation, arguments[index + 1]);
                index += 2;
            }
            else if (text is "--git-dir" or "--work-tree" or "--namespace" or "--exec-path" or "--config-env" && index + 1 < arguments.Count)
            {
                JudgeGlobalPath(invocation, text, arguments[index + 1]);
                index += 2;
            }
            else if (text.IndexOf('=') is > 0 and var equals)
            {
                JudgeGlobalPath(invocation, text[..equals], arguments[index] with { Text = text[(equals + 1)..] });
                index++;
            }
            else
            {
                if (text is "--version" or "--help" or "-h")
                {
                    invocation.Report(Verdict.ReadsOnly("only prints information"));
                    return;
                }

                index++;
            }
        }

        if (index >= arguments.Count)
        {
            invocation.Report(Verdict.ReadsOnly("only prints help"));
            return;
        }

        JudgeVerb(invocation, arguments[index].Text, arguments.Skip(index + 1).ToList(), state);
    }

    private static void JudgeGlobalPath(Invocation invocation, string option, Field value)
    {
        if (option == "--exec-path")
        {
            invocation.Report(Verdict.RunsCode("runs git programs from another directory"));
        }
        else if (option == "--config-env")
        {
            invocation.Report(Verdict.Uncertain("takes git configuration from the environment"));
        }
        else if (option != "--namespace")
        {
            PathChecks.Read(invocation.Context, value, metadataOnly: true);
        }
    }

    private static void JudgeVerb(Invocation invocation, string verb, List<Field> rest, ShellState state)
    {
        var context = new PathContext(invocation.Paths, state, invocation.Report);
        var options = rest.Where(field => field.Text.StartsWith('-')).Select(field => field.Text).ToList();
        var operands = rest.Where(field => !field.Text.StartsWith('-')).ToList();
        bool Has(params string[] names) => options.Any(option => names.Contains(option) || names.Any(name => name.StartsWith("--", StringComparison.Ordinal) && option.StartsWith(name + "=", StringComparison.Ordinal)));

        if (ReadVerbs.Contains(verb))
        {
            JudgeReadVerb(invocation, context, rest, Has);
            if (verb == "grep")
            {
                JudgeGrepPager(invocation, rest);
            }

            return;
        }

        if (verb is "bugreport" or "diagnose")
        {
            invocation.Report(Verdict.WritesWorkspace($"writes a report ({verb})"));
            var directories = ValuesOf(rest, "-o", "--output-directory").ToList();
            directories.ForEach(directory => PathChecks.Write(context, directory));
            return;
        }

        switch (verb)
        {
            case "branch":
                JudgeListOrChange(invocation, operands.Count == 0 || Has("-l", "--list", "-a", "--all", "-r", "--remotes", "--show-current", "--contains", "--merged", "--no-merged", "--points-at"),
                    Has("-d", "-D", "--delete", "-m", "-M", "--move", "-c", "-C", "--copy", "-f", "--force", "-u", "--set-upstream-to", "--unset-upstream", "--edit-description"),
                    "branches");
                return;
            case "tag":
                JudgeListOrChange(invocation, operands.Count == 0 || Has("-l", "--list", "-v", "--verify", "--contains", "--points-at", "--merged", "--no-merged"),
                    Has("-d", "--delete", "-a", "-s", "-u", "-f", "--force", "-m", "-F"),
                    "tags");
                return;
            case "remote":
                JudgeRemote(invocation, operands);
                return;
            case "stash":
                invocation.Report(operands.Count > 0 && operands[0].Text is "list" or "show"
                    ? Verdict.ReadsOnly("only reads the stash")
                    : operands.Count > 0 && operands[0].Text is "drop" or "clear"
                        ? Verdict.ChangesWorkspaceBroadly("discards stashed changes")
                        : Verdict.WritesWorkspace("changes the working tree through the stash"));
                return;
            case "reflog":
                invocation.Report(operands.Count > 0 && operands[0].Text is "expire" or "delete" or "drop"
                    ? Verdict.ChangesWorkspaceBroadly("rewrites the reflog")
                    : Verdict.ReadsOnly("only reads the reflog"));
                return;
            case "worktree":
            case "notes":
            case "lfs":
                invocation.Report(operands.Count > 0 && operands[0].Text is "list" or "show" or "ls-files" or "status"
                    ? Verdict.ReadsOnly($"only reads {verb}")
                    : operands.Count > 0 && operands[0].Text is "pull" or "fetch" or "push" or "install"
                        ? Verdict.UsesNetwork($"changes {verb} over the network")
                        : Verdict.WritesWorkspace($"changes {verb}"));
                foreach (var path in operands.Skip(1).Where(_ => verb == "worktree"))
                {
                    PathChecks.Write(context, path, "creates a worktree");
                }

                return;
            case "submodule":
                JudgeSubmodule(invocation, operands);
                return;
            case "config":
                JudgeConfig(invocation, context, rest, operands, Has);
                return;
            case "push":
                invocation.Report(Has("-f", "--force", "--force-with-lease", "--mirror", "--delete", "-d", "--prune") || operands.Any(operand => operand.Text.StartsWith('+') || operand.Text.StartsWith(':'))
                    ? Verdict.ChangesRemoteSystems("rewrites or deletes history on a remote")
                    : Verdict.UsesNetwork("pushes to a remote"));
                return;
            case "reset":
                invocation.Report(Has("--hard", "--merge", "--keep")
                    ? Verdict.ChangesWorkspaceBroadly("discards changes in the working tree")
                    : Verdict.WritesWorkspace("moves the branch or the index"));
                return;
            case "rebase":
                invocation.Report(Verdict.WritesWorkspace("rewrites history"));
                JudgeExecOptions(invocation, rest, "-x", "--exec");
                return;
            case "bisect":
                invocation.Report(Verdict.WritesWorkspace("checks out revisions"));
                if (operands.Count > 1 && operands[0].Text == "run")
                {
                    invocation.Report(Verdict.RunsCode("runs a command at every step"));
                    invocation.JudgeWrapped(operands.Skip(1).ToList(), state);
                }

                return;
            case "mergetool":
            case "difftool":
            case "instaweb":
                invocation.Report(Verdict.RunsCode($"runs an external tool ({verb})"));
                return;
            case "archive":
                invocation.Report(Has("--remote") ? Verdict.UsesNetwork("reads an archive from a remote") : Verdict.ReadsOnly("only reads the repository"));
                foreach (var output in ValuesOf(rest, "-o", "--output"))
                {
                    PathChecks.Write(context, output);
                }

                return;
        }

        if (NetworkVerbs.Contains(verb))
        {
            invocation.Report(Verdict.UsesNetwork($"talks to a remote ({verb})"));
            JudgeExecOptions(invocation, rest, "-u", "--upload-pack", "--receive-pack", "--exec");
            if (verb == "clone" && operands.Count > 1)
            {
                PathChecks.Write(context, operands[^1], "clones");
            }

            return;
        }

        if (WriteVerbs.Contains(verb))
        {
            invocation.Report(verb is "checkout" or "restore" && (operands.Any(operand => operand.Text is "." or "--") || Has("-f", "--force"))
                ? Verdict.ChangesWorkspaceBroadly("discards changes in the working tree")
                : Verdict.WritesWorkspace($"changes the repository ({verb})"));
            if (verb == "init")
            {
                operands.ForEach(directory => PathChecks.Write(context, directory, "creates a repository"));
            }

            foreach (var output in ValuesOf(rest, "-o", "--output-directory"))
            {
                PathChecks.Write(context, output);
            }

            return;
        }

        if (BroadVerbs.Contains(verb))
        {
            invocation.Report(Verdict.ChangesWorkspaceBroadly(verb == "clean" ? "deletes untracked files" : "rewrites the whole history"));
            return;
        }

        invocation.Report(Verdict.Uncertain($"runs a git command the policy does not know ({verb}), perhaps an alias"));
    }

    private static void JudgeReadVerb(Invocation invocation, PathContext context, List<Field> rest, Func<string[], bool> has)
    {
        if (has(["--ext-diff", "-O", "--open-files-in-pager", "--textconv"]))
        {
            invocation.Report(Verdict.RunsCode("runs an external program while reading"));
        }

        foreach (var output in ValuesOf(rest, "--output"))
        {
            PathChecks.Write(context, output);
        }

        foreach (var operand in rest.Where(field => !field.Text.StartsWith('-')))
        {
            PathChecks.Read(context, operand);
        }

        invocation.Report(Verdict.ReadsOnly("only reads the repository"));
    }

    /// <summary>
    /// <c>git grep -O&lt;pager&gt;</c> (the value only ever attached, <c>-iOcmd</c> included) runs the pager through the
    /// shell with the matching files as arguments: the pager is judged as that command.
    /// </summary>
    private static void JudgeGrepPager(Invocation invocation, List<Field> rest)
    {
        foreach (var option in rest.TakeWhile(field => field.Text != "--"))
        {
            var text = option.Text;
            string? pager = null;
            if (text.StartsWith("--open-files-in-pager=", StringComparison.Ordinal))
            {
                pager = text["--open-files-in-pager=".Length..];
            }
            else if (text.Length > 2 && text[0] == '-' && text[1] != '-')
            {
                // Short options cluster until one that takes a value; -e, -f, -A, -B, -C and -m take the rest as theirs.
                var at = text.IndexOfAny(['O', 'e', 'f', 'A', 'B', 'C', 'm'], 1);
                pager = at > 0 && text[at] == 'O' && at + 1 < text.Length ? text[(at + 1)..] : null;
            }

            if (pager is not null)
            {
                invocation.Report(Verdict.RunsCode("runs a pager on the files it finds"));
                invocation.JudgeShellCode(pager + " file", option.Origin, "a pager");
            }
        }
    }

    private static void JudgeListOrChange(Invocation invocation, bool lists, bool changes, string what)
    {
        invocation.Report(lists && !changes ? Verdict.ReadsOnly($"only lists {what}") : Verdict.WritesWorkspace($"changes {what}"));
    }

    private static void JudgeRemote(Invocation invocation, List<Field> operands)
    {
        var action = operands.Count == 0 ? "" : operands[0].Text;
        invocation.Report(action switch
        {
            "" or "get-url" => Verdict.ReadsOnly("only lists remotes"),
            "show" or "update" or "prune" => Verdict.UsesNetwork("talks to a remote"),
            _ => Verdict.WritesWorkspace("changes the configured remotes"),
        });
    }

    private static void JudgeSubmodule(Invocation invocation, List<Field> operands)
    {
        var action = operands.Count == 0 ? "status" : operands[0].Text;
        switch (action)
        {
            case "status" or "summary":
                invocation.Report(Verdict.ReadsOnly("only reads submodules"));
                break;
            case "foreach":
                invocation.Report(Verdict.RunsCode("runs a command in every submodule"));
                var (command, origin) = Invocation.Join(operands.Skip(1).Where(field => !field.Text.StartsWith('-')));
                invocation.JudgeShellCode(command, origin, "a command");
                break;
            case "update" or "add" or "sync" or "init":
                invocation.Report(Verdict.UsesNetwork("fetches submodules"));
                break;
            default:
                invocation.Report(Verdict.WritesWorkspace("changes submodules"));
                break;
        }
    }

    /// <summary>
    /// <c>git config</c>: reading runs; writing the repository's configuration needs approval; writing the user's
    /// or the system's is blocked, since a setting there runs programs in every later git command.
    /// </summary>
    private static void JudgeConfig(Invocation invocation, PathContext context, List<Field> rest, List<Field> operands, Func<string[], bool> has)
    {
        var reads = has(["--get", "--get-all", "--get-regexp", "--get-urlmatch", "--list", "-l", "--get-color", "--get-colorbool"])
            || (operands.Count > 0 && operands[0].Text is "get" or "list")
            || (operands.Count == 1 && !has(["--unset", "--unset-all", "--add", "--replace-all", "--rename-section", "--remove-section", "-e", "--edit"]));
        if (reads)
        {
            invocation.Report(Verdict.ReadsOnly("only reads configuration"));
            return;
        }

        if (has(["-e", "--edit"]))
        {
            invocation.Report(Verdict.RunsCode("opens an editor on the configuration"));
        }

        if (has(["--system"]))
        {
            invocation.Report(Verdict.Destroys("changes the system's git configuration"));
        }
        else if (has(["--global"]))
        {
            invocation.Report(Verdict.TakesOver("changes the user's git configuration outside the workspace"));
        }
        else
        {
            invocation.Report(Verdict.WritesWorkspace("changes the repository's configuration"));
        }

        foreach (var file in ValuesOf(rest, "-f", "--file"))
        {
            PathChecks.Write(context, file);
        }

        var pair = operands.Where(operand => operand.Text is not ("set" or "unset")).ToList();
        if (pair.Count >= 2)
        {
            JudgeConfigPair(invocation, pair[0] with { Text = pair[0].Text + "=" + pair[1].Text, Origin = pair[0].Origin | pair[1].Origin });
        }
    }

    /// <summary>A <c>key=value</c> setting: keys whose value git runs have the value judged as a command.</summary>
    private static void JudgeConfigPair(Invocation invocation, Field pair)
    {
        var equals = pair.Text.IndexOf('=');
        var key = (equals < 0 ? pair.Text : pair.Text[..equals]).ToLowerInvariant();
        var value = equals < 0 ? "" : pair.Text[(equals + 1)..];
        var runsValue = ExecutableConfigKeys.Any(prefix => key == prefix || (prefix.EndsWith('.') && key.StartsWith(prefix, StringComparison.Ordinal)))
            || key.StartsWith("alias.", StringComparison.Ordinal) || key.StartsWith("pager.", StringComparison.Ordinal)
            || (key.StartsWith("diff.", StringComparison.Ordinal) && key.EndsWith(".textconv", StringComparison.Ordinal))
            || (key.StartsWith("diff.", StringComparison.Ordinal) && key.EndsWith(".command", StringComparison.Ordinal))
            || (key.StartsWith("filter.", StringComparison.Ordinal) && (key.EndsWith(".clean", StringComparison.Ordinal) || key.EndsWith(".smudge", StringComparison.Ordinal) || key.EndsWith(".process", StringComparison.Ordinal)))
            || (key.StartsWith("merge.", StringComparison.Ordinal) && key.EndsWith(".driver", StringComparison.Ordinal))
            || key.EndsWith(".program", StringComparison.Ordinal) || key.EndsWith(".cmd", StringComparison.Ordinal);
        if (!runsValue)
        {
            return;
        }

        invocation.Report(Verdict.RunsCode($"sets {key}, which git runs as a program"));
        if (value.Length > 0 && !key.StartsWith("include", StringComparison.Ordinal) && key != "core.hookspath" && key != "init.templatedir")
        {
            invocation.JudgeShellCode(value.TrimStart('!'), pair.Origin, "a configured program");
        }
    }

    private static void JudgeExecOptions(Invocation invocation, List<Field> rest, params string[] names)
    {
        foreach (var command in ValuesOf(rest, names))
        {
            invocation.Report(Verdict.RunsCode("runs a command given to git"));
            invocation.JudgeShellCode(command.Text, command.Origin, "a command");
        }
    }

    /// <summary>Values of options written as <c>-o value</c>, <c>--opt value</c> or <c>--opt=value</c>.</summary>
    private static IEnumerable<Field> ValuesOf(List<Field> rest, params string[] names)
    {
        for (var index = 0; index < rest.Count; index++)
        {
            var text = rest[index].Text;
            if (names.Contains(text) && index + 1 < rest.Count)
            {
                yield return rest[++index];
            }
            else if (names.FirstOrDefault(name => name.StartsWith("--", StringComparison.Ordinal) && text.StartsWith(name + "=", StringComparison.Ordinal)) is { } option)
            {
                yield return rest[index] with { Text = text[(option.Length + 1)..] };
            }
            else if (names.FirstOrDefault(name => name.Length == 2 && name[0] == '-' && name[1] != '-' && text.Length > 2 && text.StartsWith(name, StringComparison.Ordinal)) is { } shortOption)
            {
                yield return rest[index] with { Text = text[shortOption.Length..] };
            }
        }
    }
}
