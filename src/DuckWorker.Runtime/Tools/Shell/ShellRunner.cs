using System.Collections;
using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tools.Shell;

/// <summary>
/// Runs a command line with <c>bash -c</c> in the workspace: in a process group of its own, with standard
/// input closed, an environment without secrets, output capped while it is read (<c>Tools:MaxOutputBytes</c>)
/// and a timeout (<c>Tools:ShellTimeout</c>) that kills the whole group.
/// </summary>
public sealed class ShellRunner(IOptions<ToolsOptions> options, TimeProvider time)
{
    private const string StderrMarker = "\n[stderr]\n";

    private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(5);

    private static readonly string Shell = File.Exists("/bin/bash") ? "/bin/bash" : "/bin/sh";

    public async Task<ShellExecution> RunAsync(string command, string workspace, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var start = new ProcessStartInfo(File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : "setsid")
        {
            WorkingDirectory = workspace,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Shell);
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        start.Environment.Clear();
        var worker = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value);
        foreach (var (name, value) in ShellEnvironment.For(workspace, worker))
        {
            start.Environment[name] = value;
        }

        var started = time.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The shell did not start.");
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
            // pipes it held close, so the output is read to its end.
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
        return new ShellExecution(
            timedOut ? null : process.ExitCode,
            output,
            stdout.Truncated || stderr.Truncated,
            timedOut,
            (long)time.GetElapsedTime(started).TotalMilliseconds);
    }
}
