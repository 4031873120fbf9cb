using System.Collections;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tools.Shell;

/// <summary>
/// Runs a command line with <c>bash -c</c> on the workspace: in the bubblewrap sandbox when
/// <see cref="ShellSandbox"/> says so (the workspace the only writable path, seen at <c>/workspace</c>), else
/// unconfined in the workspace itself. Either way in a process group of its own, with standard input closed,
/// an environment without secrets and a home of its own, under <c>Tools:Limits</c>, with output capped while
/// it is read (<c>Tools:MaxOutputBytes</c>) and a timeout (<c>Tools:ShellTimeout</c>) that kills the group.
/// </summary>
public sealed class ShellRunner(IOptions<ToolsOptions> options, ShellSandbox sandbox, TimeProvider time)
{
    internal static readonly string Shell = File.Exists("/bin/bash") ? "/bin/bash" : "/bin/sh";

    private const string StderrMarker = "\n[stderr]\n";

    private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(5);

    private static readonly string Setsid = File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : "setsid";

    private static readonly string? Setpriv = File.Exists("/usr/bin/setpriv") ? "/usr/bin/setpriv" : null;

    public async Task<ShellExecution> RunAsync(string command, string workspace, ShellNetwork network, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var confinement = sandbox.Confinement;
        if (confinement.Refused)
        {
            return new ShellExecution(null, "", false, false, 0, confinement.Reason);
        }

        var unconfinedHome = confinement.Sandboxed ? null : Directory.CreateTempSubdirectory("duck-home-");
        try
        {
            var start = confinement.Sandboxed
                ? Sandboxed(command, workspace, network, settings)
                : Unconfined(command, workspace, unconfinedHome!.FullName, settings.Limits);
            return await RunAsync(start, confinement.Sandboxed, settings, cancellationToken);
        }
        finally
        {
            unconfinedHome?.Delete(recursive: true);
        }
    }

    private ProcessStartInfo Sandboxed(string command, string workspace, ShellNetwork network, ToolsOptions settings)
    {
        var start = Started(BubblewrapArguments.Workspace, BubblewrapArguments.Home, Setsid);
        // A worker that runs as root runs a command as the owner of its workspace, for the kernel never counts
        // root's processes against a limit; a workspace root owns leaves the process limit unenforced.
        if (Environment.IsPrivilegedProcess && Setpriv is not null && FileOwner.Of(workspace) is { User: not 0 } owner)
        {
            start.ArgumentList.Add(Setpriv);
            start.ArgumentList.Add($"--reuid={owner.User}");
            start.ArgumentList.Add($"--regid={owner.Group}");
            start.ArgumentList.Add("--clear-groups");
        }

        start.ArgumentList.Add(settings.BubblewrapPath);
        foreach (var argument in BubblewrapArguments.For(workspace, network))
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add("--");
        AddLimitedShell(start, command, settings.Limits);
        return start;
    }

    private static ProcessStartInfo Unconfined(string command, string workspace, string home, ShellLimits limits)
    {
        var start = Started(workspace, home, Setsid);
        start.WorkingDirectory = workspace;
        if (Setpriv is not null)
        {
            // Only the shell itself dies with the worker: what it starts does not inherit the signal.
            start.ArgumentList.Add(Setpriv);
            start.ArgumentList.Add("--pdeathsig=KILL");
        }

        AddLimitedShell(start, command, limits);
        return start;
    }

    private static ProcessStartInfo Started(string workingDirectory, string home, string program)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        var worker = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value);
        foreach (var (name, value) in ShellEnvironment.For(home, workingDirectory, worker))
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>Hard limits first, which the command cannot raise again, then the command in a shell of its own.</summary>
    private static void AddLimitedShell(ProcessStartInfo start, string command, ShellLimits limits)
    {
        var invariant = CultureInfo.InvariantCulture;
        start.ArgumentList.Add(Shell);
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(string.Create(
            invariant,
            $"ulimit -t {limits.CpuSeconds} -v {limits.MemoryMegabytes * 1024L} -f {limits.FileMegabytes * 1024L} -u {limits.Processes} || exit 126; exec {Shell} -c \"$0\""));
        start.ArgumentList.Add(command);
    }

    private async Task<ShellExecution> RunAsync(ProcessStartInfo start, bool sandboxed, ToolsOptions settings, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        using var process = await ProcessLauncher.StartAsync(start);
        process.StandardInput.Close();
        var stdout = new CappedOutput(settings.MaxOutputBytes);
        var stderr = new CappedOutput(settings.MaxOutputBytes / 4);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(settings.ShellTimeout);
        var reading = Task.WhenAll(
            stdout.ReadAllAsync(process.StandardOutput.BaseStream, CancellationToken.None),
            stderr.ReadAllAsync(process.StandardError.BaseStream, CancellationToken.None));
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            timedOut = true;
        }
        finally
        {
            // Also when the command ended: whatever it left running in the background goes with it, and the
            // pipes it held close, so the output is read to its end. In the sandbox, its PID namespace ends
            // with its first process and takes every other one with it.
            ProcessGroup.Kill(process.Id);
        }

        try
        {
            await reading.WaitAsync(OutputDrainLimit, time, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // A process that left the group (its own setsid) still holds the pipe; what was read so far is the output.
        }

        await process.WaitForExitAsync(CancellationToken.None);
        var errors = stderr.ToString();
        var output = stdout + (errors.Length > 0 ? StderrMarker + errors : "");
        var elapsed = (long)time.GetElapsedTime(started).TotalMilliseconds;
        if (sandboxed && !timedOut && SandboxFailure(process.ExitCode, stdout.ToString(), errors) is { } failure)
        {
            return new ShellExecution(null, output, false, false, elapsed, failure);
        }

        return new ShellExecution(timedOut ? null : process.ExitCode, output, stdout.Truncated || stderr.Truncated, timedOut, elapsed);
    }

    /// <summary>Bubblewrap that cannot set the sandbox up exits 1 with its own message, before the command printed anything.</summary>
    private static string? SandboxFailure(int exitCode, string stdout, string stderr) =>
        exitCode == 1 && stdout.Length == 0 && stderr.StartsWith("bwrap: ", StringComparison.Ordinal)
            ? stderr.Trim()
            : null;
}
