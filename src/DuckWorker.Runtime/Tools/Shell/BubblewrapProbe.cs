using System.Collections.Concurrent;
using System.Diagnostics;

namespace DuckWorker.Runtime.Tools.Shell;

/// <summary>
/// Whether bubblewrap works on this machine, found out once per program path by running a trivial command
/// in exactly the sandbox a shell command gets: an installed bubblewrap can still be refused its namespaces
/// (a container's seccomp profile, a kernel without unprivileged user namespaces).
/// </summary>
public sealed class BubblewrapProbe
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, Lazy<SandboxProbeResult>> results = new(StringComparer.Ordinal);

    public SandboxProbeResult Check(string bubblewrap) => results.GetOrAdd(bubblewrap, path => new(() => Run(path))).Value;

    private static SandboxProbeResult Run(string bubblewrap)
    {
        if (!File.Exists(bubblewrap))
        {
            return new(false, $"there is no bubblewrap at {bubblewrap} (Tools:BubblewrapPath)");
        }

        var workspace = Directory.CreateTempSubdirectory("duck-sandbox-probe-");
        try
        {
            var start = new ProcessStartInfo(bubblewrap) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in BubblewrapArguments.For(workspace.FullName, ShellNetwork.Denied))
            {
                start.ArgumentList.Add(argument);
            }

            start.ArgumentList.Add("--");
            start.ArgumentList.Add(ShellRunner.Shell);
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("touch probe");
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Patience))
            {
                process.Kill(entireProcessTree: true);
                return new(false, $"{bubblewrap} did not run a trivial command within {Patience.TotalSeconds:0} s");
            }

            return process.ExitCode == 0 && File.Exists(Path.Join(workspace.FullName, "probe"))
                ? new(true, $"bubblewrap at {bubblewrap} runs commands")
                : new(false, $"{bubblewrap} failed (exit status {process.ExitCode}): {errors.Result.Trim()}");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
        {
            return new(false, $"{bubblewrap} could not be started: {ex.Message}");
        }
        finally
        {
            workspace.Delete(recursive: true);
        }
    }
}
