using System.Diagnostics;
using DuckWorker.Runtime.Tools;
using DuckWorker.Runtime.Tools.Shell;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tests.Tools.Shell;

/// <summary>
/// A workspace root of its own for a sandbox test: the task's workspace, a sibling workspace and a folder
/// outside both, with runners that run commands on the task's workspace in the real sandbox (or unconfined).
/// </summary>
internal sealed class SandboxScene : IDisposable
{
    public const string Bubblewrap = "/usr/bin/bwrap";

    private static readonly BubblewrapProbe Probe = new();

    public SandboxScene()
    {
        Root = WorkspacePath.RealPath(Directory.CreateTempSubdirectory("duck-sandbox-").FullName);
        Workspace = Directory.CreateDirectory(Path.Join(Root, "workspaces", "task")).FullName;
        Sibling = Directory.CreateDirectory(Path.Join(Root, "workspaces", "other")).FullName;
        Outside = Directory.CreateDirectory(Path.Join(Root, "outside")).FullName;
    }

    public string Root { get; }

    public string Workspace { get; }

    public string Sibling { get; }

    public string Outside { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Skips, saying why, where bubblewrap cannot run a sandbox (.ci/run installs it, so CI runs these).</summary>
    public static void SkipUnlessBubblewrapWorks()
    {
        var probed = Probe.Check(Bubblewrap);
        if (!probed.Works)
        {
            Assert.Skip($"bubblewrap cannot run a sandbox on this machine: {probed.Reason}");
        }
    }

    public static ToolsOptions Options(string sandbox = "required", Action<ToolsOptions>? configure = null)
    {
        var options = new ToolsOptions { WorkspaceRoot = "/", Sandbox = sandbox, BubblewrapPath = Bubblewrap, ShellTimeout = TimeSpan.FromSeconds(30) };
        configure?.Invoke(options);
        return options;
    }

    public static ShellSandbox Sandbox(ToolsOptions options) =>
        new(Microsoft.Extensions.Options.Options.Create(options), Probe, NullLogger<ShellSandbox>.Instance);

    public static ShellRunner Runner(ToolsOptions options) =>
        new(Microsoft.Extensions.Options.Options.Create(options), Sandbox(options), TimeProvider.System);

    public Task<ShellExecution> RunAsync(string command, ShellNetwork network = ShellNetwork.Denied, Action<ToolsOptions>? configure = null) =>
        Runner(Options(configure: configure)).RunAsync(command, Workspace, network, Ct);

    public Task<ShellExecution> RunUnconfinedAsync(string command, Action<ToolsOptions>? configure = null) =>
        Runner(Options("off", configure)).RunAsync(command, Workspace, ShellNetwork.Denied, Ct);

    /// <summary>The host's processes whose command line holds <paramref name="marker"/>, after a moment for the killed to be reaped.</summary>
    public static async Task<IReadOnlyList<string>> SurvivorsAsync(string marker)
    {
        var survivors = Survivors(marker);
        for (var i = 0; i < 100 && survivors.Count > 0; i++)
        {
            await Task.Delay(50, Ct);
            survivors = Survivors(marker);
        }

        return survivors;
    }

    /// <summary>Gives the task's workspace to an unprivileged user, as a worker that is not root would own it.</summary>
    public void GiveWorkspaceToNobody()
    {
        // The temporary root is its creator's alone; a worker's workspace root lets the workspace's owner through.
        var traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(Root, traversable);
            File.SetUnixFileMode(Path.Join(Root, "workspaces"), traversable);
        }

        using var chown = Process.Start("chown", ["-R", "65534:65534", Workspace])!;
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }

    public void Dispose()
    {
        // A test may have left the workspace owned by nobody or read-only inside; root removes it all the same.
        Directory.Delete(Root, recursive: true);
    }

    private static List<string> Survivors(string marker)
    {
        var found = new List<string>();
        foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Join(process, "cmdline")).Replace('\0', ' ');
                var state = File.ReadAllText(Path.Join(process, "stat"));
                if (commandLine.Contains(marker, StringComparison.Ordinal) && !state.Contains(") Z ", StringComparison.Ordinal))
                {
                    found.Add($"{Path.GetFileName(process)}: {commandLine}");
                }
            }
            catch (IOException)
            {
                // It ended while it was read.
            }
        }

        return found;
    }
}
