using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// Commands that reach the network need approval. Where they write (<c>curl -o</c>, <c>wget -O</c>, an
/// <c>scp</c> or <c>rsync</c> destination) and what they read and send (<c>curl -T</c>, <c>-d @file</c>,
/// <c>file://</c>) are checked like any path; a program attached to a connection (<c>nc -e</c>, <c>socat
/// EXEC:</c>) is a reverse shell and blocked. Remote commands given to <c>ssh</c> are judged too.
/// </summary>
internal static class NetworkCommands
{
    public static IEnumerable<(string Name, CommandRule Rule)> Rules()
    {
        yield return ("curl", JudgeCurl);
        yield return ("wget", JudgeWget);
        yield return ("ssh", JudgeSsh);
        yield return ("scp", JudgeScp);
        yield return ("sftp", invocation => JudgeSimpleNetwork(invocation, CommandSyntax.Of("bBcDFiJloPRsS"), readOptions: ["b"]));
        yield return ("rsync", JudgeRsync);
        foreach (var name in new[] { "nc", "ncat", "netcat" })
        {
            yield return (name, JudgeNetcat);
        }

        yield return ("socat", JudgeSocat);
        foreach (var name in new[]
        {
            "telnet", "ftp", "tftp", "lftp", "ping", "ping6", "traceroute", "traceroute6", "tracepath", "mtr", "dig", "nslookup",
            "host", "whois", "nmap", "arping", "http", "https", "xh", "httpie", "lwp-request", "GET", "POST", "HEAD", "ssh-copy-id",
            "gh", "hub", "ssh-keyscan", "nc.openbsd", "nc.traditional",
        })
        {
            yield return (name, invocation => JudgeSimpleNetwork(invocation, CommandSyntax.Plain));
        }

        foreach (var name in new[] { "aria2c", "axel", "fetch", "lwp-download" })
        {
            yield return (name, JudgeDownloader);
        }

        foreach (var name in new[] { "kubectl", "helm", "terraform", "tofu", "pulumi", "ansible", "ansible-playbook", "vagrant", "aws", "gcloud", "az", "doctl", "heroku", "flyctl", "oc", "eksctl" })
        {
            yield return (name, invocation => invocation.Report(Verdict.ChangesRemoteSystems("acts on remote infrastructure")));
        }

        yield return ("openssl", JudgeOpenssl);
    }

    private static void JudgeSimpleNetwork(Invocation invocation, CommandSyntax syntax, string[]? readOptions = null)
    {
        var arguments = invocation.Parse(syntax);
        invocation.Report(Verdict.UsesNetwork("connects to the network"));
        foreach (var file in arguments.Values(readOptions ?? []))
        {
            PathChecks.Read(invocation.Context, file);
        }

        PathChecks.Secrets(invocation.Context, arguments.Operands);
    }

    private static void JudgeCurl(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of(
            "oDcbdFHTuUxXAeEKmwYyzrCQtP",
            "--output", "--dump-header", "--cookie-jar", "--cookie", "--data", "--data-binary", "--data-raw", "--data-urlencode",
            "--data-ascii", "--form", "--form-string", "--header", "--upload-file", "--user", "--proxy", "--request", "--user-agent",
            "--referer", "--cert", "--key", "--config", "--max-time", "--write-out", "--output-dir", "--trace", "--trace-ascii",
            "--stderr", "--cacert", "--capath", "--netrc-file", "--unix-socket", "--resolve", "--connect-to", "--json", "--url"));
        var context = invocation.Context;
        invocation.Report(Verdict.UsesNetwork("connects to the network"));
        foreach (var output in arguments.Values("o", "--output", "D", "--dump-header", "c", "--cookie-jar", "--trace", "--trace-ascii", "--stderr").Where(value => value.Text != "-"))
        {
            PathChecks.Write(context, output, "downloads");
        }

        var directory = arguments.Values("--output-dir").FirstOrDefault() ?? new Field(".");
        if (arguments.Has("O", "--remote-name", "--remote-name-all", "J", "--remote-header-name"))
        {
            PathChecks.Write(context, directory with { Text = directory.Text + "/.download" }, "downloads");
        }

        foreach (var input in arguments.Values("T", "--upload-file", "K", "--config", "E", "--cert", "--key", "--netrc-file", "--cacert"))
        {
            PathChecks.Read(context, input);
        }

        foreach (var data in arguments.Values("d", "--data", "--data-binary", "--data-urlencode", "--data-ascii", "--json", "F", "--form", "b", "--cookie"))
        {
            var at = data.Text.IndexOf('@');
            var less = data.Text.IndexOf("=<", StringComparison.Ordinal);
            if (at >= 0 && at + 1 < data.Text.Length)
            {
                PathChecks.Read(context, PathChecks.WithHome(data with { Text = data.Text[(at + 1)..].Split(';')[0] }));
            }
            else if (less >= 0)
            {
                PathChecks.Read(context, PathChecks.WithHome(data with { Text = data.Text[(less + 2)..].Split(';')[0] }));
            }
        }

        JudgeLocalUrls(context, arguments.Operands.Concat(arguments.Values("--url")));
        PathChecks.Secrets(context, arguments.Options.Where(option => option.Value is not null).Select(option => option.Value!));
    }

    /// <summary><c>file://</c> URLs read local files, so they are read paths.</summary>
    private static void JudgeLocalUrls(PathContext context, IEnumerable<Field> urls)
    {
        foreach (var url in urls.Where(url => url.Text.StartsWith("file://", StringComparison.OrdinalIgnoreCase)))
        {
            PathChecks.Read(context, url with { Text = url.Text[7..] });
        }
    }

    private static void JudgeWget(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of(
            "oaOPiBeUtTwQlADRXIY",
            "--output-document", "--output-file", "--append-output", "--directory-prefix", "--input-file", "--post-file", "--body-file",
            "--load-cookies", "--save-cookies", "--config", "--user-agent", "--header", "--user", "--password", "--tries", "--timeout",
            "--post-data", "--method", "--body-data", "--base", "--execute"));
        var context = invocation.Context;
        invocation.Report(Verdict.UsesNetwork("connects to the network"));
        var documents = arguments.Values("O", "--output-document").ToList();
        foreach (var document in documents.Where(value => value.Text != "-"))
        {
            PathChecks.Write(context, document, "downloads");
        }

        if (documents.Count == 0)
        {
            var directory = arguments.Values("P", "--directory-prefix").FirstOrDefault() ?? new Field(".");
            PathChecks.Write(context, directory with { Text = directory.Text + "/.download" }, "downloads");
        }

        foreach (var log in arguments.Values("o", "--output-file", "a", "--append-output", "--save-cookies"))
        {
            PathChecks.Write(context, log);
        }

        foreach (var input in arguments.Values("i", "--input-file", "--post-file", "--body-file", "--load-cookies", "--config"))
        {
            PathChecks.Read(context, input);
        }

        if (arguments.Has("r", "--recursive", "m", "--mirror"))
        {
            invocation.Report(Verdict.ChangesWorkspaceBroadly("downloads many files"));
        }

        JudgeLocalUrls(context, arguments.Operands);
        PathChecks.Secrets(context, arguments.Options.Where(option => option.Value is not null).Select(option => option.Value!));
    }

    private static void JudgeDownloader(Invocation invocation)
    {
        invocation.Report(Verdict.UsesNetwork("connects to the network"));
        PathChecks.Write(invocation.Context, new Field("./.download"), "downloads");
    }

    /// <summary>
    /// <c>ssh</c>: options that run a local command (<c>ProxyCommand</c>, <c>LocalCommand</c>) are judged as
    /// code; a remote command is judged as shell code too, so <c>ssh host 'sudo …'</c> is blocked like the rest.
    /// </summary>
    private static void JudgeSsh(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("BbcDEeFIiJLlmOopQRSWw").StoppingAtFirstOperand());
        var context = invocation.Context;
        invocation.Report(Verdict.UsesNetwork("connects to another machine"));
        JudgeSshOptions(invocation, arguments);
        foreach (var log in arguments.Values("E"))
        {
            PathChecks.Write(context, log);
        }

        if (arguments.Operands.Count > 1)
        {
            var (command, origin) = Invocation.Join(arguments.Operands.Skip(1));
            invocation.JudgeShellCode(command, origin, "a remote command");
        }
    }

    private static void JudgeSshOptions(Invocation invocation, ParsedArguments arguments)
    {
        foreach (var option in arguments.Values("o"))
        {
            var separator = option.Text.IndexOfAny(['=', ' ']);
            var key = separator < 0 ? option.Text : option.Text[..separator];
            if (key.Equals("ProxyCommand", StringComparison.OrdinalIgnoreCase) || key.Equals("LocalCommand", StringComparison.OrdinalIgnoreCase)
                || key.Equals("KnownHostsCommand", StringComparison.OrdinalIgnoreCase) || key.Equals("Match", StringComparison.OrdinalIgnoreCase))
            {
                invocation.Report(Verdict.RunsCode($"runs a local command through ssh's {key}"));
                if (separator >= 0)
                {
                    invocation.JudgeShellCode(option.Text[(separator + 1)..], option.Origin, "a local command");
                }
            }
        }

        foreach (var config in arguments.Values("F"))
        {
            PathChecks.Read(invocation.Context, config);
        }
    }

    private static void JudgeScp(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("cFiJloPSX"));
        var context = invocation.Context;
        invocation.Report(Verdict.UsesNetwork("copies to or from another machine"));
        JudgeSshOptions(invocation, arguments);
        if (arguments.Has("S"))
        {
            invocation.Report(Verdict.RunsCode("runs another program in place of ssh"));
        }

        JudgeCopyEnds(context, arguments.Operands);
    }

    /// <summary>Local sources are read and a local destination is written; remote ends (<c>host:path</c>) are not local paths.</summary>
    private static void JudgeCopyEnds(PathContext context, IReadOnlyList<Field> operands)
    {
        for (var index = 0; index < operands.Count; index++)
        {
            var operand = operands[index];
            if (IsRemote(operand.Text))
            {
                continue;
            }

            if (index == operands.Count - 1 && operands.Count > 1)
            {
                PathChecks.Write(context, operand, "copies");
            }
            else
            {
                PathChecks.Read(context, operand);
            }
        }
    }

    private static bool IsRemote(string operand)
    {
        if (operand.StartsWith("rsync://", StringComparison.Ordinal))
        {
            return true;
        }

        var colon = operand.IndexOf(':');
        var slash = operand.IndexOf('/');
        return colon > 0 && (slash < 0 || colon < slash);
    }

    private static void JudgeRsync(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of(
            "efBTM",
            "--rsh", "--rsync-path", "--exclude", "--include", "--exclude-from", "--include-from", "--files-from", "--password-file",
            "--temp-dir", "--log-file", "--backup-dir", "--partial-dir", "--chmod", "--chown", "--usermap", "--groupmap", "--bwlimit",
            "--timeout", "--port", "--info", "--debug", "--compare-dest", "--copy-dest", "--link-dest", "--filter", "--max-size",
            "--min-size", "--out-format", "--suffix", "--remote-option", "--log-file-format", "--contimeout", "--sockopts"));
        var context = invocation.Context;
        var operands = arguments.Operands;
        invocation.Report(operands.Any(operand => IsRemote(operand.Text))
            ? Verdict.UsesNetwork("copies to or from another machine")
            : Verdict.WritesWorkspace("copies files"));
        foreach (var shell in arguments.Values("e", "--rsh"))
        {
            invocation.JudgeShellCode(shell.Text, shell.Origin, "a remote shell command");
        }

        foreach (var input in arguments.Values("--exclude-from", "--include-from", "--files-from", "--password-file"))
        {
            PathChecks.Read(context, input);
        }

        foreach (var output in arguments.Values("T", "--temp-dir", "--log-file", "--backup-dir", "--partial-dir"))
        {
            PathChecks.Write(context, output);
        }

        if (arguments.Options.Any(option => option.Name.StartsWith("--delete", StringComparison.Ordinal) || option.Name == "--remove-source-files"))
        {
            invocation.Report(Verdict.ChangesWorkspaceBroadly("deletes files while copying"));
        }

        JudgeCopyEnds(context, operands);
        if (operands.Count > 1 && arguments.Has("--remove-source-files"))
        {
            foreach (var source in operands.Take(operands.Count - 1).Where(operand => !IsRemote(operand.Text)))
            {
                PathChecks.Delete(context, source, recursive: true);
            }
        }
    }

    /// <summary><c>nc -e</c>, <c>-c</c> and <c>--exec</c>/<c>--sh-exec</c> attach a program to the connection: a reverse shell.</summary>
    private static void JudgeNetcat(Invocation invocation)
    {
        var executes = invocation.Arguments.Skip(1).Any(field =>
            field.Text is "--exec" or "--sh-exec" or "--lua-exec"
            || field.Text.StartsWith("--exec=", StringComparison.Ordinal) || field.Text.StartsWith("--sh-exec=", StringComparison.Ordinal)
            || (field.Text.Length > 1 && field.Text[0] == '-' && field.Text[1] != '-' && field.Text.AsSpan(1).IndexOfAny("ec") >= 0));
        invocation.Report(executes
            ? Verdict.TakesOver("attaches a program to a network connection (a reverse shell)")
            : Verdict.UsesNetwork("opens a network connection"));
    }

    private static void JudgeSocat(Invocation invocation)
    {
        var context = invocation.Context;
        invocation.Report(Verdict.UsesNetwork("relays a network connection"));
        foreach (var address in invocation.Arguments.Skip(1).Where(field => !field.Text.StartsWith('-') || field.Text == "-"))
        {
            var colon = address.Text.IndexOf(':');
            var kind = (colon < 0 ? address.Text : address.Text[..colon]).ToUpperInvariant();
            if (kind is "EXEC" or "SYSTEM")
            {
                invocation.Report(Verdict.TakesOver("attaches a program to a connection (a reverse shell)"));
            }
            else if (kind is "OPEN" or "CREATE" or "CREAT" or "GOPEN" && colon >= 0)
            {
                PathChecks.Write(context, address with { Text = address.Text[(colon + 1)..].Split(',')[0] });
            }
            else if (kind is "FILE" && colon >= 0)
            {
                PathChecks.Read(context, address with { Text = address.Text[(colon + 1)..].Split(',')[0] });
            }
        }
    }

    private static void JudgeOpenssl(Invocation invocation)
    {
        var subcommand = invocation.Arguments.Count > 1 ? invocation.Arguments[1].Text : "";
        if (subcommand is "s_client" or "s_server" or "s_time" or "ocsp")
        {
            invocation.Report(Verdict.UsesNetwork("opens a network connection"));
            return;
        }

        if (subcommand is "version" or "help" or "list" or "-version")
        {
            invocation.Report(Verdict.ReadsOnly("only prints information"));
            return;
        }

        invocation.Report(Verdict.Uncertain("runs an openssl command the policy does not judge in detail"));
        PathChecks.Secrets(invocation.Context, invocation.Arguments.Skip(1));
    }
}
