using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckWorker.Testing.Ollama;
using Microsoft.Data.Sqlite;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>
/// The worker against a real broker and an Ollama-protocol server with a fixed latency: throughput against the
/// model-bound ideal, per-job overhead, the worker's and the broker's processor time per job, the bare RabbitMQ
/// echo as the transport's limit, peak memory with 10,000 jobs queued, recall among 10,000 and 100,000
/// memories, the prompt characters of a four-round tool loop against the seed's, and the sandbox's cost.
/// The measures a noisy machine moves run <c>--repeat</c> times (3 by default) in one process; the median is
/// quoted with the lowest and highest.
/// Usage: <c>dotnet run -c Release --project bench/DuckWorker.Benchmarks -- worker [--broker amqp://…]
/// [--broker-pid N] [--repeat N] [--quick] [--keep] [--only throughput,overhead,echo,queued,prompts,sandbox,recall]</c>
/// (<c>--keep</c> leaves each run's SQLite store, whose event times show where a job's time went);
/// only a full run writes <c>bench/results/worker.{json,md}</c>.
/// </summary>
internal static class WorkerBenchmark
{
    private static readonly string[] Measures = ["throughput", "overhead", "echo", "queued", "prompts", "sandbox", "recall"];

    public static async Task<int> RunAsync(string[] args)
    {
        var broker = new Uri(Option(args, "--broker") ?? Environment.GetEnvironmentVariable("DUCK_TEST_RABBITMQ") ?? "amqp://guest:guest@127.0.0.1:5672/");
        var quick = args.Contains("--quick");
        var repeat = int.TryParse(Option(args, "--repeat"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : quick ? 1 : 3;
        var only = Option(args, "--only")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? Measures;
        if (only.Except(Measures).FirstOrDefault() is { } unknown)
        {
            await Console.Error.WriteLineAsync($"--only takes {string.Join(", ", Measures)}; '{unknown}' is none of them.");
            return 2;
        }

        var repository = Repository();
        var folder = Directory.CreateTempSubdirectory("duck-bench-").FullName;
        if (!args.Contains("--keep"))
        {
            Interruption.Delete(folder);
        }

        await using var ollama = await OllamaTestServer.StartAsync();
        ollama.Fallback = WorkerRuns.Answer;
        await using var client = await BenchBroker.ConnectAsync(broker);
        var brokerProcess = BrokerProcess.Find(args);
        var runs = new WorkerRuns(client, ollama, brokerProcess, broker, repository, folder);
        var results = new JsonObject();
        var spreads = new JsonObject();

        if (only.Contains("throughput"))
        {
            Console.WriteLine($"throughput: model latency 50 ms, concurrency {WorkerRuns.Concurrency}, {repeat} runs");
            ollama.Latency = TimeSpan.FromMilliseconds(50);
            var jobs = quick ? 200 : 800;
            var taken = new List<OpenLoopRun>();
            for (var i = 0; i < repeat; i++)
            {
                taken.Add(await runs.OpenLoopAsync("throughput", jobs));
            }

            var ideal = WorkerRuns.Concurrency / (WorkerRuns.ModelCallsPerJob * 0.05);
            var ratio = Spread.Of(taken.Select(r => r.JobsPerSecond / ideal));
            var endToEnd = taken.SelectMany(r => r.EndToEndMs).ToList();
            results["jobsPerSecond"] = Math.Round(ratio.Median * ideal, 1);
            results["idealJobsPerSecond"] = Math.Round(ideal, 1);
            results["idealRatio"] = Math.Round(ratio.Median, 3);
            results["endToEndP50Ms"] = Math.Round(Percentile(endToEnd, 0.50), 1);
            results["endToEndP95Ms"] = Math.Round(Percentile(endToEnd, 0.95), 1);
            results["endToEndP99Ms"] = Math.Round(Percentile(endToEnd, 0.99), 1);
            results["eventsPerSecond"] = Math.Round(taken.Median(r => r.Events / r.Seconds), 1);
            results["throughputJobs"] = jobs;
            spreads["idealRatio"] = ratio.ToJson(3);

            // The server's delays end late (a timer's granularity): the ideal at the model time it really took.
            var modelMs = taken.Median(r => r.ModelMsPerCall);
            var measuredIdeal = WorkerRuns.Concurrency / (WorkerRuns.ModelCallsPerJob * modelMs / 1000);
            results["modelMsPerCall"] = Math.Round(modelMs, 2);
            results["idealRatioAtModelTime"] = Math.Round(taken.Median(r => r.JobsPerSecond) / measuredIdeal, 3);
        }

        if (only.Contains("overhead"))
        {
            Console.WriteLine($"overhead: model latency 0, one job at a time, {repeat} runs");
            ollama.Latency = TimeSpan.Zero;
            var taken = new List<ClosedLoopRun>();
            (string AnnounceEvents, string Key, List<ClosedLoopRun> Runs)[] fewerAnnounced = [("lifecycle", "overheadLifecycleP50Ms", []), ("none", "overheadNoneP50Ms", [])];
            var floors = new List<ClosedLoopRun>();
            for (var i = 0; i < repeat; i++)
            {
                taken.Add(await runs.ClosedLoopAsync(quick ? 100 : 300));

                // What the announcements of every event cost a job's latency: the same jobs with fewer announced.
                foreach (var (announceEvents, _, announcedRuns) in fewerAnnounced)
                {
                    announcedRuns.Add(await runs.ClosedLoopAsync(quick ? 100 : 300, announceEvents));
                }

                // Right after the worker's runs, so that all of them meet the machine as it then was.
                floors.Add(await runs.FloorAsync(quick ? 100 : 300));
            }

            var floor = Spread.Of(floors.Select(r => Percentile(r.OverheadMs, 0.50)));
            results["overheadFloorP50Ms"] = Math.Round(floor.Median, 2);
            results["overheadFloorIdleP50Ms"] = Math.Round(floors.Median(r => Percentile(r.IdleOverheadMs, 0.50)), 2);
            results["overheadFloorParts"] = PartsJson(floors);
            results["overheadFloorCpuMsPerJob"] = CpuJson(floors, brokerProcess.Found);
            spreads["overheadFloorP50Ms"] = floor.ToJson(2);

            var p50 = Spread.Of(taken.Select(r => Percentile(r.OverheadMs, 0.50)));
            var idleP50 = Spread.Of(taken.Select(r => Percentile(r.IdleOverheadMs, 0.50)));
            await using (var echo = await EchoBaseline.StartAsync(client.Connection, WorkerRuns.Concurrency))
            {
                await echo.RoundTripsAsync(50);
                var roundTrips = new List<double>();
                for (var i = 0; i < repeat; i++)
                {
                    roundTrips.Add(Percentile(await echo.RoundTripsAsync(quick ? 100 : 300), 0.50));
                }

                var echoRoundTrip = Spread.Of(roundTrips);
                results["echoRoundTripP50Ms"] = Math.Round(echoRoundTrip.Median, 2);
                spreads["echoRoundTripP50Ms"] = echoRoundTrip.ToJson(2);
            }

            results["overheadP50Ms"] = Math.Round(p50.Median, 2);
            results["overheadP95Ms"] = Math.Round(taken.Median(r => Percentile(r.OverheadMs, 0.95)), 2);
            results["overheadP99Ms"] = Math.Round(taken.Median(r => Percentile(r.OverheadMs, 0.99)), 2);
            results["overheadParts"] = PartsJson(taken);
            results["overheadCpuMsPerJob"] = CpuJson(taken, brokerProcess.Found);
            results["overheadIdleP50Ms"] = Math.Round(idleP50.Median, 2);
            results["overheadIdleMs"] = WorkerRuns.IdleBetweenJobs.TotalMilliseconds;
            foreach (var (_, key, announcedRuns) in fewerAnnounced)
            {
                var announcedP50 = Spread.Of(announcedRuns.Select(r => Percentile(r.OverheadMs, 0.50)));
                results[key] = Math.Round(announcedP50.Median, 2);
                spreads[key] = announcedP50.ToJson(2);
            }

            spreads["overheadP50Ms"] = p50.ToJson(2);
            spreads["overheadIdleP50Ms"] = idleP50.ToJson(2);
        }

        if (only.Contains("echo"))
        {
            Console.WriteLine($"echo: the worker announcing all events, announcing the lifecycle, and a bare RabbitMQ echo, model latency 0, {repeat} runs");
            ollama.Latency = TimeSpan.Zero;
            var jobs = quick ? 500 : 2000;
            var all = new List<OpenLoopRun>();
            var lifecycle = new List<OpenLoopRun>();
            var echo = new List<double>();
            for (var i = 0; i < repeat; i++)
            {
                all.Add(await runs.OpenLoopAsync("echo-all", jobs, "all"));
                lifecycle.Add(await runs.OpenLoopAsync("echo-lifecycle", jobs, "lifecycle"));
                await using var baseline = await EchoBaseline.StartAsync(client.Connection, WorkerRuns.Concurrency);
                await baseline.JobsPerSecondAsync(200);
                echo.Add(await baseline.JobsPerSecondAsync(jobs));
            }

            // Each ratio is of runs taken back to back, so that both saw the same machine.
            var echoRatio = Spread.Of(all.Select((r, i) => r.JobsPerSecond / echo[i]));
            var lifecycleRatio = Spread.Of(lifecycle.Select((r, i) => r.JobsPerSecond / echo[i]));
            var cpu = Spread.Of(all.Select(r => r.WorkerCpuMsPerJob));
            results["workerJobsPerSecondAtZeroLatency"] = Math.Round(all.Median(r => r.JobsPerSecond), 1);
            results["workerLifecycleJobsPerSecondAtZeroLatency"] = Math.Round(lifecycle.Median(r => r.JobsPerSecond), 1);
            results["echoJobsPerSecond"] = Math.Round(Spread.Of(echo).Median, 1);
            results["echoRatio"] = Math.Round(echoRatio.Median, 3);
            results["echoRatioLifecycle"] = Math.Round(lifecycleRatio.Median, 3);
            results["cpuMsPerJob"] = Math.Round(cpu.Median, 2);
            results["cpuMsPerJobLifecycle"] = Math.Round(lifecycle.Median(r => r.WorkerCpuMsPerJob), 2);
            results["brokerCpuMsPerJob"] = brokerProcess.Found ? Math.Round(all.Median(r => r.BrokerCpuMsPerJob), 2) : null;
            results["brokerCpuMsPerJobLifecycle"] = brokerProcess.Found ? Math.Round(lifecycle.Median(r => r.BrokerCpuMsPerJob), 2) : null;
            results["benchCpuMsPerJob"] = Math.Round(all.Median(r => r.BenchCpuMsPerJob), 2);
            results["brokerCpu"] = brokerProcess.Found ? $"the RabbitMQ node's process ({brokerProcess.Note})" : $"not measured: {brokerProcess.Note}";
            results["echoJobs"] = jobs;
            spreads["echoRatio"] = echoRatio.ToJson(3);
            spreads["echoRatioLifecycle"] = lifecycleRatio.ToJson(3);
            spreads["cpuMsPerJob"] = cpu.ToJson(2);
        }

        if (only.Contains("queued"))
        {
            var jobs = quick ? 2000 : 10_000;
            Console.WriteLine($"queued: memory with {jobs} jobs waiting in the queue");
            var (peakRss, lost) = await runs.QueuedAsync(jobs);
            results["peakRssMb"] = Math.Round(peakRss, 1);
            results["queuedJobs"] = jobs;
            results["lostJobs"] = lost;
        }

        if (only.Contains("prompts"))
        {
            Console.WriteLine("prompts: prompt characters of a four-round tool loop");
            var prompts = await runs.ToolLoopAsync();
            results["promptCharsPerCall"] = new JsonArray([.. prompts.Ours.Select(c => JsonValue.Create(c))]);
            results["seedPromptCharsPerCall"] = new JsonArray([.. prompts.Seed.Select(c => JsonValue.Create(c))]);
            results["promptRatioVsSeed"] = prompts.TotalRatio;
            results["observationCharsRatioVsSeed"] = prompts.ObservationRatio;
        }

        if (only.Contains("sandbox"))
        {
            Console.WriteLine($"sandbox: one shell command sandboxed and unconfined: `{SandboxOverhead.Command}`");
            var (sandbox, sandboxNote) = await SandboxOverhead.MeasureAsync(quick ? 20 : 50);
            results["sandboxOverheadMs"] = sandbox is null ? null : Math.Round(sandbox.MeanMs, 1);
            results["sandboxOverheadMedianMs"] = sandbox is null ? null : Math.Round(sandbox.MedianMs, 1);
            results["shellUnconfinedMs"] = sandbox is null ? null : Math.Round(sandbox.UnconfinedMeanMs, 1);
            results["shellSandboxedMs"] = sandbox is null ? null : Math.Round(sandbox.SandboxedMeanMs, 1);
            results["sandbox"] = sandbox is null ? $"not measured: {sandboxNote}" : $"`{SandboxOverhead.Command}` through the ShellRunner, {sandbox.Runs} alternating pairs unconfined and in bubblewrap";
        }

        if (only.Contains("recall"))
        {
            Console.WriteLine($"recall: the five closest of 10,000 and 100,000 memories and the three closest of as many lessons, vectors of {BenchMemories.Dimensions} floats, SQLite store");
            var (recall10k, memory10k, lessons10k, lessonsMemory10k) = await RecallMeasure.MeasureAsync(folder, 10_000, 50);
            var (recall100k, memory100k, lessons100k, lessonsMemory100k) = await RecallMeasure.MeasureAsync(folder, quick ? 20_000 : 100_000, 20);
            results["recall10kMs"] = Math.Round(recall10k.Median, 2);
            results["recall100kMs"] = Math.Round(recall100k.Median, 2);
            results["recall10kMemoryMb"] = Math.Round(memory10k, 1);
            results["recall100kMemoryMb"] = Math.Round(memory100k, 1);
            results["lessons10kMs"] = Math.Round(lessons10k.Median, 2);
            results["lessons100kMs"] = Math.Round(lessons100k.Median, 2);
            results["lessons10kMemoryMb"] = Math.Round(lessonsMemory10k, 1);
            results["lessons100kMemoryMb"] = Math.Round(lessonsMemory100k, 1);
            spreads["recall10kMs"] = recall10k.ToJson(2);
            spreads["recall100kMs"] = recall100k.ToJson(2);
            spreads["lessons10kMs"] = lessons10k.ToJson(2);
            spreads["lessons100kMs"] = lessons100k.ToJson(2);
        }

        results["spread"] = spreads;
        results["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}";
        results["settings"] = $"store sqlite, Worker:Concurrency {WorkerRuns.Concurrency}, {WorkerRuns.ModelCallsPerJob} model calls per job (embedding, action, thinker, memory), reflection off, worker log level Warning, each worker warmed up with {WorkerRuns.WarmUpJobs} jobs, {repeat} runs of each repeated measure{(quick ? ", quick run" : "")}";
        results["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var table = WorkerResultsTable.Render(results);
        Console.WriteLine(table);
        if (only.Length == Measures.Length)
        {
            var output = Path.Join(repository, "bench", "results");
            Directory.CreateDirectory(output);
            await File.WriteAllTextAsync(Path.Join(output, "worker.json"), results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            await File.WriteAllTextAsync(Path.Join(output, "worker.md"), table);
        }

        SqliteConnection.ClearAllPools();
        if (args.Contains("--keep"))
        {
            Console.WriteLine($"The stores and workspaces of the runs are kept in {folder}.");
        }
        else
        {
            Directory.Delete(folder, recursive: true);
        }

        return 0;
    }

    internal static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

    private static double Percentile(IReadOnlyList<double> values, double rank)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(rank * sorted.Count) - 1)];
    }

    private static double Median<T>(this IEnumerable<T> runs, Func<T, double> measure) => Spread.Of(runs.Select(measure)).Median;

    /// <summary>Where the runs' one-at-a-time jobs spent their time (<see cref="OverheadParts"/>), the medians of the runs.</summary>
    private static JsonObject PartsJson(IReadOnlyList<ClosedLoopRun> runs) => new()
    {
        ["toFirstModelRequestMs"] = Math.Round(runs.Median(r => r.Parts.ToFirstRequestMs), 2),
        ["modelServerMs"] = Math.Round(runs.Median(r => r.Parts.ServingMs), 2),
        ["betweenModelCallsMs"] = Math.Round(runs.Median(r => r.Parts.BetweenCallsMs), 2),
        ["lastReplyToOutcomeMs"] = Math.Round(runs.Median(r => r.Parts.AfterLastReplyMs), 2),
    };

    /// <summary>The processor time per job of each process while the runs' jobs went back to back, the medians of the runs; the broker's only when its process was found.</summary>
    private static JsonObject CpuJson(IReadOnlyList<ClosedLoopRun> runs, bool brokerFound) => new()
    {
        ["worker"] = Math.Round(runs.Median(r => r.WorkerCpuMsPerJob), 2),
        ["broker"] = brokerFound ? Math.Round(runs.Median(r => r.BrokerCpuMsPerJob), 2) : null,
        ["bench"] = Math.Round(runs.Median(r => r.BenchCpuMsPerJob), 2),
    };

    private static string Repository()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Join(folder.FullName, "DuckWorker.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Run the benchmark from the repository (no DuckWorker.sln above it).");
    }
}
