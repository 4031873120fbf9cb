using System.Diagnostics;
using System.Globalization;

namespace DuckWorker.Testing.Processes;

/// <summary>
/// The worker as its own process, started the way the README starts it (its built DuckWorker.dll, configured
/// through DUCK_ environment variables), with its console output collected.
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process process;

    private readonly ProcessOutput output;

    private int disposed;

    private WorkerProcess(Process process, ProcessOutput output)
    {
        this.process = process;
        this.output = output;
    }

    public string Output => output.Text;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Waits for a worker that ends by itself (<c>--help</c>, a configuration error).</summary>
    public async Task WaitForExitAsync(CancellationToken cancellationToken) => await process.WaitForExitAsync(cancellationToken);

    /// <summary>The worker's process id.</summary>
    public int Id => process.Id;

    /// <param name="assembly">The worker's DuckWorker.dll; by default the build of the running tests' configuration.</param>
    /// <param name="arguments">The worker's command line.</param>
    public static WorkerProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, string? assembly = null, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [assembly ?? BuiltProgram.Worker, .. arguments])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start };
        return new WorkerProcess(process, ProcessOutput.Start(process, "The worker"));
    }

    public Task WaitForOutputAsync(string text, TimeSpan timeout, CancellationToken cancellationToken) =>
        output.WaitForAsync(text, timeout, cancellationToken);

    /// <summary>Sends SIGTERM, as a container runtime or systemd does, and waits for the process to exit.</summary>
    public async Task TerminateAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(cancellationToken);
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        await process.WaitForExitAsync(limit.Token);
    }

    /// <summary>
    /// Sends SIGKILL to the worker alone, as the kernel's OOM killer or a power cut would end it: what it
    /// started (a shell command in its own process group) is left to the worker's own care.
    /// </summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>The processor time the worker has used so far, user and system.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>The most resident memory the process has had (Linux's VmHWM), in MB.</summary>
    public double PeakRssMb()
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kilobytes = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return kilobytes / 1024.0;
    }

    public async ValueTask DisposeAsync()
    {
        // Idempotent: a benchmark run that owns the process ends it too, possibly from a signal's thread.
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
