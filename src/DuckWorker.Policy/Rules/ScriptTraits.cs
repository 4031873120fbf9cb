using DuckWorker.Policy.Judging;
using DuckWorker.Policy.Syntax;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// Whether a script fetches from the network or decodes a payload: what makes feeding its output to a shell
/// ("download and run", "decode and run") a blocked pattern rather than merely running unseen code.
/// </summary>
internal static class ScriptTraits
{
    private static readonly HashSet<string> Fetchers =
    [
        "curl", "wget", "fetch", "aria2c", "axel", "http", "https", "xh", "httpie", "lwp-download", "lwp-request",
        "GET", "POST", "nc", "ncat", "netcat", "socat", "telnet", "ssh", "scp", "sftp", "ftp", "tftp", "lftp",
        "openssl", "s_client", "dig", "nslookup", "host",
    ];

    private static readonly HashSet<string> Decoders =
    [
        "base64", "base32", "basenc", "xxd", "uudecode", "openssl", "gzip", "gunzip", "zcat", "bzip2", "bunzip2",
        "bzcat", "xz", "unxz", "xzcat", "zstd", "unzstd", "zstdcat", "lz4", "lzcat", "rev", "tr",
    ];

    public static bool FetchesOrDecodes(ShellScript script) => SyntaxWalker.SimpleCommands(script).Any(FetchesOrDecodes);

    public static bool FetchesOrDecodes(ShellCommand command) => SyntaxWalker.SimpleCommands(command).Any(FetchesOrDecodes);

    private static bool FetchesOrDecodes(SimpleCommand command) =>
        command.Words.Any(word => word.LiteralValue is { } value && (Fetchers.Contains(CommandName.BaseName(value)) || Decoders.Contains(CommandName.BaseName(value))))
        || command.Redirections.Any(redirection => redirection.Target.LiteralValue is { } target
            && (target.StartsWith("/dev/tcp/", StringComparison.Ordinal) || target.StartsWith("/dev/udp/", StringComparison.Ordinal)));
}
