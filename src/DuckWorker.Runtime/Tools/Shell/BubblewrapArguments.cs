namespace DuckWorker.Runtime.Tools.Shell;

/// <summary>
/// The bubblewrap command line of a sandboxed shell command: the system read-only, the workspace the only
/// writable path (at <see cref="Workspace"/>, the working directory), a private <c>/tmp</c> and home, fresh
/// <c>/proc</c>, <c>/dev</c>, PID, IPC, UTS, user and (unless allowed) network namespaces, and an unprivileged
/// user inside.
/// </summary>
internal static class BubblewrapArguments
{
    /// <summary>Where the workspace appears inside the sandbox, whatever its path outside.</summary>
    public const string Workspace = "/workspace";

    /// <summary>The sandbox's home: an empty folder of its own, never the workspace.</summary>
    public const string Home = "/home/sandbox";

    /// <summary>
    /// An allow-list, not <c>/</c> with holes: whatever else the host holds (its home folders, <c>/tmp</c>, the
    /// worker's data, the workspace root and the other workspaces) does not exist inside.
    /// </summary>
    private static readonly string[] SystemPaths = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"];

    /// <summary>Nobody: the command is no one inside, and owns nothing but what it creates.</summary>
    private const string SandboxId = "65534";

    private static readonly Lazy<IReadOnlyList<string>> System = new(SystemMounts);

    public static IReadOnlyList<string> For(string workspace, ShellNetwork network)
    {
        List<string> arguments =
        [
            "--unshare-all", "--unshare-user", "--uid", SandboxId, "--gid", SandboxId,
            .. network == ShellNetwork.Allowed ? ["--share-net"] : Array.Empty<string>(),
            "--die-with-parent", "--new-session",
            .. System.Value,
            "--dev", "/dev",
            "--proc", "/proc",
            "--tmpfs", "/tmp",
            "--tmpfs", "/home",
            "--dir", Home,
            "--bind", workspace, Workspace,
            // Bubblewrap's own root is a writable tmpfs; read-only, nothing but the folders above takes a write.
            "--remount-ro", "/",
            "--chdir", Workspace,
        ];
        return arguments;
    }

    private static List<string> SystemMounts()
    {
        var mounts = new List<string>();
        foreach (var path in SystemPaths)
        {
            var entry = new DirectoryInfo(path);
            if (entry.LinkTarget is { } target)
            {
                mounts.AddRange(["--symlink", target, path]);
            }
            else if (entry.Exists)
            {
                mounts.AddRange(["--ro-bind", path, path]);
            }
        }

        mounts.AddRange(Unreadable("/etc"));
        return mounts;
    }

    /// <summary>
    /// Hides what only its owner may read under <paramref name="root"/> (<c>/etc/shadow</c>, private keys…): a
    /// worker that runs as root owns those files, and so would a command in a user namespace it maps to root.
    /// </summary>
    private static IEnumerable<string> Unreadable(string root)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var folder))
        {
            foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", options))
            {
                var hidden = (entry.UnixFileMode & UnixFileMode.OtherRead) == 0;
                if (entry is DirectoryInfo directory)
                {
                    if (hidden)
                    {
                        yield return "--tmpfs";
                        yield return directory.FullName;
                    }
                    else
                    {
                        pending.Push(directory.FullName);
                    }
                }
                else if (hidden)
                {
                    yield return "--ro-bind";
                    yield return "/dev/null";
                    yield return entry.FullName;
                }
            }
        }
    }
}
