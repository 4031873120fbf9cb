using System.Text.RegularExpressions;
using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// Paths outside the workspace that matter more than others: secrets (reading them is blocked), shell startup
/// files (writing them plants code that runs later), system directories, and the pseudo-files that are safe
/// to read or write. Paths under any home directory (<c>~</c>, <c>/root</c>, <c>/home/*</c>) are matched
/// relative to that home.
/// </summary>
internal static partial class SensitivePaths
{
    private static readonly string[] HomeSecrets =
    [
        ".ssh", ".aws", ".gnupg", ".azure", ".config/gcloud", ".kube", ".docker/config.json", ".password-store",
        ".local/share/keyrings", ".mozilla", ".config/google-chrome", ".config/chromium", ".config/gh", ".terraform.d",
        ".vault-token", ".netrc", ".git-credentials", ".pgpass", ".my.cnf", ".npmrc", ".pypirc", ".boto", ".s3cfg",
        ".cargo/credentials", ".cargo/credentials.toml", ".config/hub", ".bash_history", ".zsh_history", ".history",
        ".python_history", ".mysql_history", ".psql_history", ".node_repl_history", ".lesshst", ".viminfo",
    ];

    private static readonly string[] SystemSecrets =
    [
        "/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-", "/etc/sudoers", "/etc/sudoers.d",
        "/etc/security/opasswd", "/etc/ssl/private", "/etc/krb5.keytab", "/var/run/secrets", "/run/secrets",
        "/proc/kcore", "/dev/mem", "/dev/kmem", "/dev/port", "/var/lib/sss/secrets",
    ];

    /// <summary>The entries of <c>/proc/PID</c> that expose another process's secrets or files.</summary>
    private static readonly string[] ProcessEntries = ["environ", "mem", "maps", "auxv", "root", "cwd", "fd", "fdinfo", "map_files"];

    private static readonly string[] SecretBaseNames = ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk"];

    private static readonly string[] StartupFiles =
    [
        ".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".profile", ".zshrc", ".zshenv", ".zprofile",
        ".zlogin", ".zlogout", ".kshrc", ".cshrc", ".tcshrc", ".config/fish", ".inputrc", ".xinitrc", ".xprofile",
        ".xsessionrc", ".config/autostart", ".ssh/authorized_keys", ".ssh/rc", ".ssh/config", ".gitconfig",
        ".config/git", ".config/systemd",
    ];

    private static readonly string[] SystemDirectories =
    [
        "/etc", "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/dev", "/sys", "/proc",
        "/var", "/root", "/opt", "/srv", "/snap", "/run", "/lost+found",
    ];

    private static readonly string[] ReadableDevices = ["/dev/null", "/dev/zero", "/dev/random", "/dev/urandom", "/dev/stdin", "/dev/tty"];

    private static readonly string[] WritableDevices = ["/dev/null", "/dev/stdout", "/dev/stderr", "/dev/tty", "/dev/zero"];

    /// <summary>Concrete secrets that a glob such as <c>/etc/sha*</c> or <c>~/.ssh/*</c> is tested against.</summary>
    private static readonly string[] SecretProbes =
    [
        "/etc/shadow", "/etc/gshadow", "/etc/sudoers", "/etc/ssh/ssh_host_rsa_key", "/etc/ssh/ssh_host_ed25519_key",
        "/proc/1/environ", "/proc/self/environ", "/root/.ssh/id_rsa", "/home/user/.ssh/id_rsa",
        Sentinel.Home + "/.ssh/id_rsa", Sentinel.Home + "/.ssh/id_ed25519", Sentinel.Home + "/.aws/credentials",
        Sentinel.Home + "/.gnupg/private-keys-v1.d", Sentinel.Home + "/.netrc", Sentinel.Home + "/.git-credentials",
        Sentinel.Home + "/.docker/config.json", Sentinel.Home + "/.kube/config", Sentinel.Home + "/.env",
        Sentinel.Home + "/.bash_history",
    ];

    public static bool IsSecret(ResolvedPath path)
    {
        if (path.Scope is PathScope.Workspace or PathScope.WorkspaceUncertain)
        {
            return false;
        }

        if (IsProcessSecret(path.Path))
        {
            return true;
        }

        if (Sentinel.HasGlob(path.Path))
        {
            var pattern = GlobPattern.ToRegex(path.Path);
            return SecretProbes.Any(probe => pattern.IsMatch(probe)) || IsSecretPath(PrefixBeforeVariable(path.Path));
        }

        return IsSecretPath(path.Path.Contains(Sentinel.Unknown) ? PrefixBeforeVariable(path.Path) : path.Path);
    }

    /// <summary>Any device file, the harmless ones included, and descriptor paths.</summary>
    public static bool IsDevice(ResolvedPath path) =>
        IsSameOrUnder(path.Path, "/dev") || IsDescriptorPath(path.Path);

    public static bool IsStartupFile(ResolvedPath path) =>
        HomeRelative(path.Path) is { } relative && StartupFiles.Any(file => IsSameOrUnder(relative, file));

    public static bool IsSystemPath(ResolvedPath path) =>
        path.Path == "/" || SystemDirectories.Any(directory => IsSameOrUnder(path.Path, directory));

    public static bool IsReadableDevice(ResolvedPath path) =>
        ReadableDevices.Contains(path.Path) || IsDescriptorPath(path.Path);

    public static bool IsWritableDevice(ResolvedPath path) =>
        WritableDevices.Contains(path.Path) || IsDescriptorPath(path.Path);

    /// <summary><c>/dev/tcp/host/port</c> and <c>/dev/udp/…</c>: bash opens a network connection for these.</summary>
    public static bool IsNetworkDevice(string text) =>
        text.StartsWith("/dev/tcp/", StringComparison.Ordinal) || text.StartsWith("/dev/udp/", StringComparison.Ordinal);

    private static bool IsDescriptorPath(string path) =>
        (path.StartsWith("/dev/fd/", StringComparison.Ordinal) || path.StartsWith("/proc/self/fd/", StringComparison.Ordinal))
        && path.LastIndexOf('/') is var slash && path[(slash + 1)..].All(char.IsAsciiDigit);

    private static bool IsSecretPath(string path)
    {
        if (SystemSecrets.Any(secret => IsSameOrUnder(path, secret)))
        {
            return true;
        }

        if (IsProcessSecret(path) || HostKey().IsMatch(path))
        {
            return true;
        }

        var baseName = path[(path.LastIndexOf('/') + 1)..];
        if (baseName == ".env" || baseName.StartsWith(".env.", StringComparison.Ordinal) || SecretBaseNames.Contains(baseName))
        {
            return true;
        }

        return HomeRelative(path) is { } relative && HomeSecrets.Any(secret => IsSameOrUnder(relative, secret));
    }

    /// <summary>The path relative to the home directory it is under, if any (<c>~/x</c>, <c>/root/x</c>, <c>/home/u/x</c>).</summary>
    private static string? HomeRelative(string path)
    {
        if (path.Length > 0 && path[0] == Sentinel.Home)
        {
            return path.Length > 1 ? path[2..] : "";
        }

        if (path == "/root" || path.StartsWith("/root/", StringComparison.Ordinal))
        {
            return path.Length > 6 ? path[6..] : "";
        }

        var match = UserHome().Match(path);
        return match.Success ? match.Groups[1].Value : null;
    }

    private static bool IsSameOrUnder(string path, string root) =>
        path == root || path.StartsWith(root + "/", StringComparison.Ordinal);

    private static string PrefixBeforeVariable(string path)
    {
        var first = path.AsSpan().IndexOfAny(Sentinel.Unknown, Sentinel.Star, Sentinel.Question);
        var cut = first < 0 ? path : path[..first];
        var firstBracket = cut.IndexOf(Sentinel.BracketOpen);
        cut = firstBracket < 0 ? cut : cut[..firstBracket];
        var slash = cut.LastIndexOf('/');
        return slash <= 0 ? cut : cut[..slash];
    }

    /// <summary>
    /// A process's environment, memory, root, working directory or open files, for any process spelled any way
    /// (<c>/proc/1/environ</c>, <c>/proc/$PPID/environ</c>, <c>/proc/*/environ</c>, <c>/proc/self/../1/root</c>): the
    /// worker's own secrets and every other workspace are reachable through them.
    /// </summary>
    public static bool IsProcessSecret(ResolvedPath path) => IsProcessSecret(path.Path);

    private static bool IsProcessSecret(string path)
    {
        // Below a directory nobody can know (`cd /proc; cat $PPID/environ`), a process's environment or memory is still one.
        if (path.Contains(Sentinel.Unknown) && path[(path.LastIndexOf('/') + 1)..] is "environ" or "mem")
        {
            return true;
        }

        if (!path.StartsWith("/proc/", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var component in path.Split('/').Skip(3))
        {
            if (component.Any(character => Sentinel.IsGlob(character) || character == Sentinel.Unknown))
            {
                var pattern = GlobPattern.ToRegex(component.Replace(Sentinel.Unknown, Sentinel.Star));
                if (ProcessEntries.Any(entry => pattern.IsMatch(entry)))
                {
                    return true;
                }
            }
            else if (ProcessEntries.Contains(component))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"^/etc/ssh/ssh_host_[^/]*_key$")]
    private static partial Regex HostKey();

    [GeneratedRegex("^/home/[^/]+(?:/(.*))?$")]
    private static partial Regex UserHome();
}
