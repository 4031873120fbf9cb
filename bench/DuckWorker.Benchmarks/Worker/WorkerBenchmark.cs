using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckWorker.RabbitMq;
using DuckWorker.Runtime.Stores;
using DuckWorker.Sqlite;
using DuckWorker.Testing.Ollama;
using DuckWorker.Testing.Processes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>
/// The worker against a real broker and an Ollama-protocol server with a fixed latency: throughput against the
/// model-bound ideal, per-job overhead, the bare RabbitMQ echo as the transport's limit, peak memory with
/// 10,000 jobs queued, and the prompt characters of a four-round tool loop against the seed's.
/// Usage: <c>dotnet run -c Release --project bench/DuckWorker.Benchmarks -- worker [--broker amqp://…] [--quick]</c>.
/// </summary>
internal static class WorkerBenchmark
{
    private const int Concurrency = 16;

    /// <summary>Embedding (recall), action, thinker, memory policy; jobs skip reflection.</summary>
    private const int ModelCallsPerJob = 4;

    public static async Task<int> RunAsync(string[] args)
    {
        var broker = new Uri(Option(args, "--broker") ?? Environment.GetEnvironmentVariable("DUCK_TEST_RABBITMQ") ?? "amqp://guest:guest@127.0.0.1:5672/");
        var quick = args.Contains("--quick");
        var repository = Repository();
        var folder = Directory.CreateTempSubdirectory("duck-bench-").FullName;
        await using var ollama = await OllamaTestServer.StartAsync();
        ollama.Fallback = Answer;
        await using var client = await BenchBroker.ConnectAsync(broker);

        Console.WriteLine("1/6 throughput, model latency 50 ms, concurrency 16");
        ollama.Latency = TimeSpan.FromMilliseconds(50);
        var throughputJobs = quick ? 200 : 800;
        var (jobsPerSecond, endToEnd, events) = await OpenLoopAsync(client, ollama, broker, repository, folder, "throughput", throughputJobs);
        var ideal = Concurrency / (ModelCallsPerJob * 0.05);

        Console.WriteLine("2/6 per-job overhead, model latency 0, one job at a time");
        ollama.Latency = TimeSpan.Zero;
        var overhead = await ClosedLoopAsync(client, ollama, broker, repository, folder, quick ? 100 : 300);

        Console.WriteLine("3/6 the worker and a bare RabbitMQ echo, model latency 0, concurrency 16");
        var echoJobs = quick ? 500 : 2000;
        var (workerJobsPerSecond, _, _) = await OpenLoopAsync(client, ollama, broker, repository, folder, "echo-worker", echoJobs);
        var echoJobsPerSecond = await EchoBaseline.JobsPerSecondAsync(client.Connection, echoJobs, Concurrency);

        Console.WriteLine("4/6 memory with 10,000 jobs waiting in the queue");
        var queued = quick ? 2000 : 10_000;
        var (peakRss, lost) = await QueuedAsync(client, ollama, broker, repository, folder, queued);

        Console.WriteLine("5/6 prompt characters of a four-round tool loop");
        var prompts = await ToolLoopAsync(client, ollama, broker, repository, folder);

        Console.WriteLine($"6/6 one shell command sandboxed and unconfined: `{SandboxOverhead.Command}`");
        var (sandbox, sandboxNote) = await SandboxOverhead.MeasureAsync(quick ? 20 : 50);

        var results = new JsonObject
        {
            ["jobsPerSecond"] = Math.Round(jobsPerSecond, 1),
            ["idealJobsPerSecond"] = Math.Round(ideal, 1),
            ["idealRatio"] = Math.Round(jobsPerSecond / ideal, 3),
            ["endToEndP50Ms"] = Math.Round(Percentile(endToEnd, 0.50), 1),
            ["endToEndP95Ms"] = Math.Round(Percentile(endToEnd, 0.95), 1),
            ["endToEndP99Ms"] = Math.Round(Percentile(endToEnd, 0.99), 1),
            ["overheadP50Ms"] = Math.Round(Percentile(overhead, 0.50), 2),
            ["overheadP95Ms"] = Math.Round(Percentile(overhead, 0.95), 2),
            ["overheadP99Ms"] = Math.Round(Percentile(overhead, 0.99), 2),
            ["eventsPerSecond"] = Math.Round(events, 1),
            ["workerJobsPerSecondAtZeroLatency"] = Math.Round(workerJobsPerSecond, 1),
            ["echoJobsPerSecond"] = Math.Round(echoJobsPerSecond, 1),
            ["echoRatio"] = Math.Round(workerJobsPerSecond / echoJobsPerSecond, 3),
            ["peakRssMb"] = Math.Round(peakRss, 1),
            ["queuedJobs"] = queued,
            ["lostJobs"] = lost,
            ["promptCharsPerCall"] = new JsonArray([.. prompts.Ours.Select(c => JsonValue.Create(c))]),
            ["seedPromptCharsPerCall"] = new JsonArray([.. prompts.Seed.Select(c => JsonValue.Create(c))]),
            ["promptRatioVsSeed"] = prompts.TotalRatio,
            ["observationCharsRatioVsSeed"] = prompts.ObservationRatio,
            ["sandboxOverheadMs"] = sandbox is null ? null : Math.Round(sandbox.MeanMs, 1),
            ["sandboxOverheadMedianMs"] = sandbox is null ? null : Math.Round(sandbox.MedianMs, 1),
            ["shellUnconfinedMs"] = sandbox is null ? null : Math.Round(sandbox.UnconfinedMeanMs, 1),
            ["shellSandboxedMs"] = sandbox is null ? null : Math.Round(sandbox.SandboxedMeanMs, 1),
            ["sandbox"] = sandbox is null ? $"not measured: {sandboxNote}" : $"`{SandboxOverhead.Command}` through the ShellRunner, {sandbox.Runs} alternating pairs unconfined and in bubblewrap",
            ["machine"] = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}",
            ["settings"] = $"store sqlite, Worker:Concurrency {Concurrency}, {ModelCallsPerJob} model calls per job (embedding, action, thinker, memory), reflection off, worker log level Warning, {throughputJobs} jobs at 50 ms, {echoJobs} jobs at 0 ms{(quick ? ", quick run" : "")}",
            ["date"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        var output = Path.Join(repository, "bench", "results");
        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(Path.Join(output, "worker.json"), results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        await File.WriteAllTextAsync(Path.Join(output, "worker.md"), Table(results));
        Console.WriteLine(Table(results));
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return 0;
    }

    /// <summary>Publishes every job at once and measures until the last outcome arrives.</summary>
    private static async Task<(double JobsPerSecond, IReadOnlyList<double> EndToEndMs, double EventsPerSecond)> OpenLoopAsync(
        BenchBroker client, OllamaTestServer ollama, Uri broker, string repository, string folder, string name, int jobs)
    {
        var names = Names(name);
        await client.DeclareAsync(names);
        await client.FollowAsync(names);
        await using var worker = await StartWorkerAsync(repository, WorkerEnvironment(broker, names, ollama, folder, name), () => client.ConsumedAsync(names.JobsQueue));
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < jobs; i++)
        {
            await client.PublishJobAsync(names, $"{name}-{i:D6}", $"hello from job {i:D6}");
        }

        await client.WaitForAsync(client.Finished.Keys.Count(k => !k.StartsWith(name, StringComparison.Ordinal)) + jobs, TimeSpan.FromMinutes(10));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var endToEnd = client.Finished.Where(f => f.Key.StartsWith(name + "-", StringComparison.Ordinal))
            .Select(f => Stopwatch.GetElapsedTime(client.Published[f.Key], f.Value.At).TotalMilliseconds)
            .ToList();
        var events = await CountEventsAsync(Path.Join(folder, name + ".db"));
        return (jobs / seconds, endToEnd, events / seconds);
    }

    /// <summary>One job at a time, so that its time is the worker's and the transport's, not a queue's.</summary>
    private static async Task<IReadOnlyList<double>> ClosedLoopAsync(BenchBroker client, OllamaTestServer ollama, Uri broker, string repository, string folder, int jobs)
    {
        var names = Names("overhead");
        await client.DeclareAsync(names);
        await client.FollowAsync(names);
        await using var worker = await StartWorkerAsync(repository, WorkerEnvironment(broker, names, ollama, folder, "overhead"), () => client.ConsumedAsync(names.JobsQueue));
        var overhead = new List<double>();
        for (var i = 0; i < jobs; i++)
        {
            var jobId = $"overhead-{i:D6}";
            var before = client.Finished.Count;
            await client.PublishJobAsync(names, jobId, $"hello from job {i:D6}");
            await client.WaitForAsync(before + 1, TimeSpan.FromMinutes(1));
            // The model's own time is its fixed latency, zero here; everything else is overhead.
            overhead.Add(Stopwatch.GetElapsedTime(client.Published[jobId], client.Finished[jobId].At).TotalMilliseconds);
        }

        return overhead[(jobs / 10)..];
    }

    /// <summary>Queues every job before the worker starts, then lets it work them off, watching its peak memory.</summary>
    private static async Task<(double PeakRssMb, int Lost)> QueuedAsync(BenchBroker client, OllamaTestServer ollama, Uri broker, string repository, string folder, int jobs)
    {
        var names = Names("queued");
        await client.DeclareAsync(names);
        await client.FollowAsync(names);
        for (var i = 0; i < jobs; i++)
        {
            await client.PublishJobAsync(names, $"queued-{i:D6}", $"hello from job {i:D6}");
        }

        await using var worker = await StartWorkerAsync(repository, WorkerEnvironment(broker, names, ollama, folder, "queued"), () => client.ConsumedAsync(names.JobsQueue));
        var before = client.Finished.Count(f => !f.Key.StartsWith("queued-", StringComparison.Ordinal));
        await client.WaitForAsync(before + jobs, TimeSpan.FromMinutes(20));
        var completed = client.Finished.Count(f => f.Key.StartsWith("queued-", StringComparison.Ordinal) && f.Value.Status == "completed");
        return (worker.PeakRssMb(), jobs - completed);
    }

    /// <summary>One task whose action model reads a file four rounds running; then the seed's cost of the same transcript.</summary>
    private static async Task<PromptComparison> ToolLoopAsync(BenchBroker client, OllamaTestServer ollama, Uri broker, string repository, string folder)
    {
        var names = Names("prompts");
        await client.DeclareAsync(names);
        await client.FollowAsync(names);
        var workspace = Path.Join(folder, "prompts-workspaces", "notes");
        Directory.CreateDirectory(workspace);
        for (var day = 1; day <= 4; day++)
        {
            await File.WriteAllTextAsync(Path.Join(workspace, $"day{day}.md"), string.Join('\n', Enumerable.Range(1, 8).Select(n => $"- Day {day}, note {n}: the ducks were fed at {7 + n}:00 and swam to the north shore.")));
        }

        var rounds = 0;
        ollama.Fallback = chat => chat.Model == "action-model" && rounds < 4
            ? OllamaReply.Actions(new { tool = "fs_read", args = new { path = $"day{Interlocked.Increment(ref rounds)}.md" }, reason = "read the next day's notes" })
            : Answer(chat);
        var first = ollama.Chats.Count;
        await using (var worker = await StartWorkerAsync(repository, WorkerEnvironment(broker, names, ollama, folder, "prompts", maxToolIterations: 4), () => client.ConsumedAsync(names.JobsQueue)))
        {
            var before = client.Finished.Count;
            await client.PublishJobAsync(names, "prompts-0", "Summarize the duck notes of the four days.", workspace: "notes");
            await client.WaitForAsync(before + 1, TimeSpan.FromMinutes(1));
        }

        ollama.Fallback = Answer;
        var chats = ollama.Chats.Skip(first).Where(c => c.Model is "action-model" or "thinker-model").ToList();
        var database = new SqliteDatabase(Options.Create(new SqliteOptions { Path = Path.Join(folder, "prompts.db") }));
        var task = (await new SqliteTaskStore(database).FindByJobIdAsync("prompts-0", CancellationToken.None))!;
        var observations = new List<JsonObject>();
        var started = new Dictionary<int, JsonObject>();
        await foreach (var entry in new SqliteEventLog(database, TimeProvider.System).ReadAsync(task.TaskId, 0, CancellationToken.None))
        {
            if (entry.EventType == "tool_call_finished")
            {
                var payload = JsonNode.Parse(entry.Payload.GetRawText())!.AsObject();
                observations.Add(new JsonObject
                {
                    ["index"] = payload["index"]!.DeepClone(),
                    ["tool"] = payload["tool"]!.DeepClone(),
                    ["reason"] = "read the next day's notes",
                    ["result"] = payload["result"]!.DeepClone(),
                });
            }
        }

        return PromptCost.Compare(chats, observations);
    }

    private static Dictionary<string, string> WorkerEnvironment(Uri broker, RabbitMqOptions names, OllamaTestServer ollama, string folder, string name, int maxToolIterations = 4)
    {
        var environment = new Dictionary<string, string>
        {
            ["DUCK_RabbitMq__Uri"] = broker.ToString(),
            ["DUCK_RabbitMq__JobsQueue"] = names.JobsQueue,
            ["DUCK_RabbitMq__EventsExchange"] = names.EventsExchange,
            ["DUCK_RabbitMq__ApprovalsRequestedQueue"] = names.ApprovalsRequestedQueue,
            ["DUCK_RabbitMq__TasksFinishedQueue"] = names.TasksFinishedQueue,
            ["DUCK_RabbitMq__DecisionsQueue"] = names.DecisionsQueue,
            ["DUCK_RabbitMq__DeadLetterExchange"] = names.DeadLetterExchange,
            ["DUCK_RabbitMq__DeadQueue"] = names.DeadQueue,
            ["DUCK_Sqlite__Path"] = Path.Join(folder, name + ".db"),
            ["DUCK_Tools__WorkspaceRoot"] = Path.Join(folder, name + "-workspaces"),
            ["DUCK_Ollama__BaseUrl"] = ollama.BaseUrl.ToString(),
            ["DUCK_Ollama__MaxRetries"] = "0",
            ["DUCK_Worker__Concurrency"] = Concurrency.ToString(CultureInfo.InvariantCulture),
            ["DUCK_Worker__MaxToolIterations"] = maxToolIterations.ToString(CultureInfo.InvariantCulture),
            ["DUCK_Health__Port"] = "0",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Warning",
        };
        foreach (var (role, model) in new[] { ("thinker", "thinker-model"), ("action", "action-model"), ("critic", "critic-model"), ("memory", "memory-model"), ("embedding", "embedding-model") })
        {
            environment[$"DUCK_Ollama__Roles__{role}__Model"] = model;
        }

        return environment;
    }

    private static RabbitMqOptions Names(string scenario)
    {
        var prefix = $"bench.{scenario}.{Guid.NewGuid():N}"[..24];
        return new RabbitMqOptions
        {
            JobsQueue = prefix + ".jobs",
            EventsExchange = prefix + ".events",
            ApprovalsRequestedQueue = prefix + ".approvals.requested",
            TasksFinishedQueue = prefix + ".tasks.finished",
            DecisionsQueue = prefix + ".decisions",
            DeadLetterExchange = prefix + ".dlx",
            DeadQueue = prefix + ".dead",
        };
    }

    private static OllamaReply Answer(RecordedChat chat) => chat.Model switch
    {
        "action-model" => OllamaReply.Actions(),
        "memory-model" => OllamaReply.Json(new { should_store = false, summary = "", scope = "workspace", memory_type = "fact", importance = 0 }),
        "critic-model" => OllamaReply.Json(new { summary = "ok", outcome = "success", reusable_lesson = (string?)null }),
        _ => OllamaReply.Text("answer to " + chat.Messages.Last(m => m.Role == "user" && !m.Content.StartsWith("tool_observations", StringComparison.Ordinal)).Content),
    };

    private static async Task<long> CountEventsAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM events;";
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private static double Percentile(IReadOnlyList<double> values, double rank)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(rank * sorted.Count) - 1)];
    }

    internal static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

    /// <summary>
    /// The worker as its own process (its Release build), so that its memory is its own; ready once it consumes
    /// (its logs are quiet at the benchmark's level).
    /// </summary>
    private static async Task<WorkerProcess> StartWorkerAsync(string repository, IReadOnlyDictionary<string, string> environment, Func<Task<bool>> ready)
    {
        var assembly = Path.Join(repository, "src", "DuckWorker", "bin", "Release", "net10.0", "DuckWorker.dll");
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"Build the worker first: dotnet build -c Release DuckWorker.sln (looked for {assembly}).");
        }

        var worker = WorkerProcess.Start(repository, environment, assembly);
        var started = Stopwatch.GetTimestamp();
        while (!await ready())
        {
            if (worker.HasExited || Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(60))
            {
                await worker.DisposeAsync();
                throw new InvalidOperationException("The worker did not start consuming:\n" + worker.Output);
            }

            await Task.Delay(50);
        }

        return worker;
    }

    private static string Repository()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Join(folder.FullName, "DuckWorker.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Run the benchmark from the repository (no DuckWorker.sln above it).");
    }

    private static string Table(JsonObject results)
    {
        var table = new StringBuilder();
        table.AppendLine("# Worker benchmark").AppendLine();
        table.AppendLine("Command: `dotnet build -c Release DuckWorker.sln && dotnet run -c Release --project bench/DuckWorker.Benchmarks -- worker`").AppendLine();
        table.AppendLine($"Measured {results["date"]} on {results["machine"]}; {results["settings"]}.").AppendLine();
        table.AppendLine("| measure | value | target |");
        table.AppendLine("| --- | ---: | --- |");
        table.AppendLine($"| throughput at 50 ms per model call | {results["jobsPerSecond"]} jobs/s | ≥ 90 % of the ideal {results["idealJobsPerSecond"]} jobs/s |");
        table.AppendLine($"| … ratio to the model-bound ideal | {results["idealRatio"]} | ≥ 0.9 |");
        table.AppendLine($"| end-to-end p50 / p95 / p99 (50 ms run, all jobs published at once, so queueing included) | {results["endToEndP50Ms"]} / {results["endToEndP95Ms"]} / {results["endToEndP99Ms"]} ms | |");
        table.AppendLine($"| per-job overhead p50 / p95 / p99 (model latency 0) | {results["overheadP50Ms"]} / {results["overheadP95Ms"]} / {results["overheadP99Ms"]} ms | p50 ≤ 5 ms |");
        table.AppendLine($"| events persisted per second (50 ms run) | {results["eventsPerSecond"]} | |");
        table.AppendLine($"| worker at model latency 0 / bare RabbitMQ echo | {results["workerJobsPerSecondAtZeroLatency"]} / {results["echoJobsPerSecond"]} jobs/s (ratio {results["echoRatio"]}) | reported |");
        table.AppendLine($"| peak RSS with {results["queuedJobs"]} jobs queued | {results["peakRssMb"]} MB, {results["lostJobs"]} lost | ≤ 300 MB, none lost |");
        table.AppendLine($"| prompt characters per call, four-round tool loop | {string.Join(", ", results["promptCharsPerCall"]!.AsArray())} | grows linearly |");
        table.AppendLine($"| … the seed's for the same transcript | {string.Join(", ", results["seedPromptCharsPerCall"]!.AsArray())} | |");
        table.AppendLine($"| … ratio of the totals | {results["promptRatioVsSeed"]} | ≤ 0.6 |");
        table.AppendLine($"| … ratio of the observation characters alone | {results["observationCharsRatioVsSeed"]} | |");
        table.AppendLine($"| one shell command unconfined / in the sandbox ({results["sandbox"]}) | {results["shellUnconfinedMs"]} / {results["shellSandboxedMs"]} ms | |");
        table.AppendLine($"| … sandbox overhead per command, mean / median | {results["sandboxOverheadMs"]} / {results["sandboxOverheadMedianMs"]} ms | reported |");
        return table.ToString();
    }
}
