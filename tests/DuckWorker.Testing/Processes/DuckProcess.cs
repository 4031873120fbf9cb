using System.Diagnostics;
using System.Globalization;

namespace DuckWorker.Testing.Processes;

/// <summary>
/// <c>duck</c> as its own process (its built duck.dll), configured through DUCK_ environment variables, its
/// output collected, its input a pipe the test writes to. It is started with SIGINT at its default disposition:
/// a process started in the background of a non-interactive shell (as CI runs the tests) inherits SIGINT
/// ignored, and a test of Ctrl+C would then prove nothing.
/// </summary>
public sealed class DuckProcess : IAsyncDisposable
{
    private readonly Process process;

    private readonly ProcessOutput output;

    private DuckProcess(Process process, ProcessOutput output)
    {
        this.process = process;
        this.output = output;
    }

    public string Output => output.Text;

    public int ExitCode => process.ExitCode;

    public StreamWriter Input => process.StandardInput;

    /// <param name="settings">Configuration keys (Section:Key), passed as DUCK_Section__Key variables.</param>
    public static DuckProcess Start(IEnumerable<KeyValuePair<string, string?>> settings, params string[] args) =>
        Start(new ProcessStartInfo("env", ["--default-signal=INT", "dotnet", BuiltProgram.Duck, .. args]), settings);

    /// <summary>
    /// duck on a terminal of its own (a pseudo-terminal that util-linux's <c>script</c> opens), as a person runs
    /// it: what the test writes to <see cref="Input"/> arrives as typed keys.
    /// </summary>
    public static DuckProcess StartOnATerminal(IEnumerable<KeyValuePair<string, string?>> settings, params string[] args)
    {
        var command = string.Join(' ', new[] { "dotnet", BuiltProgram.Duck }.Concat(args).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        return Start(new ProcessStartInfo("script", ["--quiet", "--flush", "--return", "--command", command, "/dev/null"]), settings);
    }

    private static DuckProcess Start(ProcessStartInfo start, IEnumerable<KeyValuePair<string, string?>> settings)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var (key, value) in settings)
        {
            start.Environment["DUCK_" + key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start };
        return new DuckProcess(process, ProcessOutput.Start(process, "duck"));
    }

    /// <summary>Runs duck in a folder of its own to its end, its input closed.</summary>
    public static async Task<(int Exit, string Output, string Errors)> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [BuiltProgram.Duck, .. args])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output, await errors);
    }

    public Task WaitForOutputAsync(string text, TimeSpan timeout, CancellationToken cancellationToken) =>
        output.WaitForAsync(text, timeout, cancellationToken);

    /// <summary>Sends a signal (INT as Ctrl+C does, TERM as a container runtime does) and waits for the process to end.</summary>
    public async Task SignalAsync(string signal, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(cancellationToken);
        }

        await WaitForExitAsync(timeout, cancellationToken);
    }

    public async Task WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        await process.WaitForExitAsync(limit.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
