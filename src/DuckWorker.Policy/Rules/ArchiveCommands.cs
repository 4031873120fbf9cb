using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// Archivers and compressors: listing or decompressing to standard output only reads; extracting, creating
/// or compressing in place writes, and where it writes is checked. Options that run a program (tar's
/// <c>--to-command</c>, <c>--checkpoint-action=exec</c>, <c>-I</c>) have that program judged too.
/// </summary>
internal static class ArchiveCommands
{
    private static readonly string[] TarExecOptions = ["--to-command", "--use-compress-program", "I", "--rsh-command", "--info-script", "--new-volume-script", "F"];

    public static IEnumerable<(string Name, CommandRule Rule)> Rules()
    {
        yield return ("tar", JudgeTar);
        yield return ("unzip", JudgeUnzip);
        yield return ("zip", JudgeZip);
        foreach (var name in new[] { "gzip", "gunzip", "bzip2", "bunzip2", "xz", "unxz", "zstd", "unzstd", "lz4", "unlz4", "compress", "uncompress", "lzma", "unlzma", "pigz" })
        {
            yield return (name, JudgeCompressor);
        }
    }

    private static void JudgeTar(Invocation invocation)
    {
        var arguments = invocation.Arguments.ToList();

        // Old style: the first argument is a bundle of option letters without a dash (`tar xzf a.tgz`).
        if (arguments.Count > 1 && !arguments[1].Text.StartsWith('-') && arguments[1].IsExact)
        {
            arguments[1] = arguments[1] with { Text = "-" + arguments[1].Text };
        }

        var parsed = ParsedArguments.Parse(arguments, 1, CommandSyntax.Of(
            "fCTXbgNHKLVIF",
            "--file", "--directory", "--files-from", "--exclude-from", "--listed-incremental", "--newer", "--format", "--starting-file",
            "--tape-length", "--label", "--owner", "--group", "--mode", "--transform", "--xform", "--exclude", "--use-compress-program",
            "--to-command", "--rsh-command", "--info-script", "--new-volume-script", "--checkpoint-action", "--blocking-factor"));
        var context = invocation.Context;

        foreach (var option in parsed.Options.Where(option => TarExecOptions.Contains(option.Name) && option.Value is not null))
        {
            invocation.JudgeShellCode(option.Value!.Text, option.Value.Origin, "a program");
            invocation.Report(Verdict.RunsCode($"runs a program ({option.Name})"));
        }

        foreach (var action in parsed.Values("--checkpoint-action").Where(value => value.Text.StartsWith("exec=", StringComparison.Ordinal)))
        {
            invocation.JudgeShellCode(action.Text[5..], action.Origin, "a program");
            invocation.Report(Verdict.RunsCode("runs a program at checkpoints"));
        }

        var archives = parsed.Values("f", "--file").Where(archive => archive.Text != "-").ToList();
        var remote = archives.Any(archive => IsRemote(archive.Text));
        if (remote)
        {
            invocation.Report(Verdict.UsesNetwork("uses a remote archive"));
        }

        foreach (var file in parsed.Values("T", "--files-from", "X", "--exclude-from"))
        {
            PathChecks.Read(context, file);
        }

        if (parsed.Has("t", "--list", "d", "--diff", "--compare"))
        {
            archives.Where(archive => !IsRemote(archive.Text)).ToList().ForEach(archive => PathChecks.Read(context, archive));
            invocation.Report(Verdict.ReadsOnly("lists an archive"));
            return;
        }

        if (parsed.Has("x", "--extract", "--get"))
        {
            archives.Where(archive => !IsRemote(archive.Text)).ToList().ForEach(archive => PathChecks.Read(context, archive));
            var directories = parsed.Values("C", "--directory").ToList();
            PathChecks.Write(context, directories.Count > 0 ? directories[^1] : new Field("."), "extracts files");
            if (parsed.Has("--absolute-names", "P", "--overwrite", "--unlink-first", "U", "--recursive-unlink"))
            {
                invocation.Report(Verdict.ChangesWorkspaceBroadly("extracts with options that may replace or reach beyond the target"));
            }

            return;
        }

        archives.Where(archive => !IsRemote(archive.Text)).ToList().ForEach(archive => PathChecks.Write(context, archive, "writes an archive"));
        foreach (var member in parsed.Operands)
        {
            PathChecks.Read(context, member);
        }

        if (archives.Count == 0)
        {
            invocation.Report(Verdict.WritesWorkspace("creates or changes an archive"));
        }

        if (parsed.Has("--remove-files", "--delete"))
        {
            invocation.Report(Verdict.ChangesWorkspaceBroadly("removes files while archiving"));
        }
    }

    private static bool IsRemote(string archive)
    {
        var colon = archive.IndexOf(':');
        var slash = archive.IndexOf('/');
        return colon > 0 && (slash < 0 || colon < slash);
    }

    private static void JudgeUnzip(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("dxP", "--password"));
        var context = invocation.Context;
        if (arguments.Operands.Count > 0)
        {
            PathChecks.Read(context, arguments.Operands[0]);
        }

        if (arguments.Has("l", "t", "v", "p", "c", "Z", "z"))
        {
            invocation.Report(Verdict.ReadsOnly("lists or prints an archive"));
            return;
        }

        var directory = arguments.Values("d").FirstOrDefault() ?? new Field(".");
        PathChecks.Write(context, directory, "extracts files");
    }

    private static void JudgeZip(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("bnOitxPsTZ", "--temp-path", "--out", "--password", "--unzip-command", "--split-size"));
        var context = invocation.Context;
        if (arguments.Has("T", "TT", "--test", "--unzip-command"))
        {
            invocation.Report(Verdict.RunsCode("runs a program to test the archive"));
        }

        // `-TT cmd` runs cmd through the shell with the archive's name where `{}` stands.
        var raw = invocation.Arguments;
        for (var index = 1; index < raw.Count; index++)
        {
            var command = raw[index].Text is "-TT" or "--unzip-command" && index + 1 < raw.Count ? raw[index + 1]
                : raw[index].Text.StartsWith("--unzip-command=", StringComparison.Ordinal) ? raw[index] with { Text = raw[index].Text["--unzip-command=".Length..] }
                : null;
            if (command is not null)
            {
                invocation.JudgeShellCode(command.Text.Replace("{}", "archive.zip", StringComparison.Ordinal), command.Origin, "an archive test command");
            }
        }

        if (arguments.Operands.Count > 0)
        {
            PathChecks.Write(context, arguments.Operands[0], "writes an archive");
        }

        foreach (var output in arguments.Values("O", "--out", "b", "--temp-path"))
        {
            PathChecks.Write(context, output, "writes an archive");
        }

        foreach (var member in arguments.Operands.Skip(1))
        {
            PathChecks.Read(context, member);
        }

        if (arguments.Has("m", "--move"))
        {
            invocation.Report(Verdict.ChangesWorkspaceBroadly("deletes the files it archives"));
        }
    }

    /// <summary>To standard output, listing or testing only reads; otherwise each file is replaced by its (de)compressed form.</summary>
    private static void JudgeCompressor(Invocation invocation)
    {
        var arguments = invocation.Parse(CommandSyntax.Of("SbpT", "--suffix", "--rsyncable", "--threads", "--format", "--memlimit"));
        var context = invocation.Context;
        var toOutput = arguments.Has("c", "--stdout", "--to-stdout", "l", "--list", "t", "--test");
        foreach (var file in arguments.Operands.Where(operand => operand.Text != "-"))
        {
            if (toOutput)
            {
                PathChecks.Read(context, file);
            }
            else
            {
                PathChecks.Write(context, file, "replaces");
            }
        }

        if (toOutput || arguments.Operands.Count == 0)
        {
            invocation.Report(Verdict.ReadsOnly("compresses or decompresses a stream"));
        }
    }
}
