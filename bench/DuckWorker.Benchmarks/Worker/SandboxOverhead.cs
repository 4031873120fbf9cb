using System.Diagnostics;
using DuckWorker.Runtime.Tools;
using DuckWorker.Runtime.Tools.Shell;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>
/// What the bubblewrap sandbox adds to one shell command: the same command through the <see cref="ShellRunner"/>
/// unconfined and sandboxed, in alternating pairs so that both see the same machine, and the extra wall time of
/// each pair. Usage alone: <c>dotnet run -c Release --project bench/DuckWorker.Benchmarks -- sandbox [--runs N]</c>.
/// </summary>
internal static class SandboxOverhead
{
    public const string Command = "cat lines.txt | wc -l";

    /// <summary>The mean and median extra milliseconds, and each mode's mean; null with the reason where bubblewrap cannot run.</summary>
    public static async Task<(SandboxCost? Cost, string Note)> MeasureAsync(int runs)
    {
        var probe = new BubblewrapProbe();
        var probed = probe.Check(new ToolsOptions().BubblewrapPath);
        if (!probed.Works)
        {
            return (null, probed.Reason);
        }

        var workspace = Directory.CreateTempSubdirectory("duck-bench-sandbox-");
        try
        {
            await File.WriteAllLinesAsync(Path.Join(workspace.FullName, "lines.txt"), Enumerable.Range(1, 1000).Select(i => $"line {i}"));
            var unconfined = Runner("off", probe);
            var sandboxed = Runner("required", probe);
            for (var i = 0; i < 3; i++)
            {
                await unconfined.RunAsync(Command, workspace.FullName, ShellNetwork.Denied, CancellationToken.None);
                await sandboxed.RunAsync(Command, workspace.FullName, ShellNetwork.Denied, CancellationToken.None);
            }

            var plain = new List<double>();
            var confined = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                plain.Add(await TimeAsync(unconfined, workspace.FullName));
                confined.Add(await TimeAsync(sandboxed, workspace.FullName));
            }

            var extra = plain.Zip(confined, (p, c) => c - p).Order().ToList();
            return (new SandboxCost(extra.Average(), extra[extra.Count / 2], plain.Average(), confined.Average(), runs), probed.Reason);
        }
        finally
        {
            workspace.Delete(recursive: true);
        }
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = int.TryParse(WorkerBenchmark.Option(args, "--runs"), out var n) ? n : 50;
        var (cost, note) = await MeasureAsync(runs);
        Console.WriteLine(cost is null
            ? $"bubblewrap cannot run here ({note}): no sandbox overhead measured"
            : $"`{Command}` x {cost.Runs}: unconfined {cost.UnconfinedMeanMs:0.0} ms, sandboxed {cost.SandboxedMeanMs:0.0} ms; sandboxOverheadMs mean {cost.MeanMs:0.0}, median {cost.MedianMs:0.0}");
        return cost is null ? 1 : 0;
    }

    private static ShellRunner Runner(string sandbox, BubblewrapProbe probe)
    {
        var options = Options.Create(new ToolsOptions { WorkspaceRoot = "/", Sandbox = sandbox });
        return new ShellRunner(options, new ShellSandbox(options, probe, NullLogger<ShellSandbox>.Instance), TimeProvider.System);
    }

    private static async Task<double> TimeAsync(ShellRunner runner, string workspace)
    {
        var started = Stopwatch.GetTimestamp();
        var ran = await runner.RunAsync(Command, workspace, ShellNetwork.Denied, CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return ran.ExitCode == 0 && ran.Output.Trim() == "1000" ? elapsed : throw new InvalidOperationException($"`{Command}` failed: {ran.Output}");
    }
}
