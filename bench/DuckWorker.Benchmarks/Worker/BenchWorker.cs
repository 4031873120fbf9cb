using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>The worker as its own process (its Release build), configured through DUCK_ variables, so that its memory is its own.</summary>
internal sealed class BenchWorker : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private BenchWorker(Process process) => this.process = process;

    /// <param name="ready">True once the worker consumes (its logs are quiet at the benchmark's level).</param>
    public static async Task<BenchWorker> StartAsync(string repository, IReadOnlyDictionary<string, string> environment, Func<Task<bool>> ready)
    {
        var assembly = Path.Join(repository, "src", "DuckWorker", "bin", "Release", "net10.0", "DuckWorker.dll");
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"Build the worker first: dotnet build -c Release DuckWorker.sln (looked for {assembly}).");
        }

        var start = new ProcessStartInfo("dotnet", [assembly]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var worker = new BenchWorker(new Process { StartInfo = start });
        worker.process.OutputDataReceived += (_, line) => worker.Collect(line.Data);
        worker.process.ErrorDataReceived += (_, line) => worker.Collect(line.Data);
        worker.process.Start();
        worker.process.BeginOutputReadLine();
        worker.process.BeginErrorReadLine();
        var started = Stopwatch.GetTimestamp();
        while (!await ready())
        {
            if (worker.process.HasExited || Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(60))
            {
                throw new InvalidOperationException("The worker did not start consuming:\n" + string.Join('\n', worker.output));
            }

            await Task.Delay(50);
        }

        return worker;
    }

    /// <summary>The most resident memory the process had (Linux's VmHWM), in MB.</summary>
    public double PeakRssMb()
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kilobytes = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        return kilobytes / 1024.0;
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

    private void Collect(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }
}
