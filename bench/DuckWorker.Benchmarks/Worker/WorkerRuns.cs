using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using DuckWorker.RabbitMq;
using DuckWorker.Sqlite;
using DuckWorker.Testing.Ollama;
using DuckWorker.Testing.Processes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>One open-loop run: every job published at once, measured until the last outcome arrives.</summary>
internal sealed record OpenLoopRun(int Jobs, double Seconds, IReadOnlyList<double> EndToEndMs, long Events, TimeSpan WorkerCpu, TimeSpan BrokerCpu, TimeSpan BenchCpu, double ModelMsPerCall)
{
    public double JobsPerSecond => Jobs / Seconds;

    public double WorkerCpuMsPerJob => WorkerCpu.TotalMilliseconds / Jobs;

    public double BrokerCpuMsPerJob => BrokerCpu.TotalMilliseconds / Jobs;

    /// <summary>The benchmark's own process: its client and the Ollama-protocol server, which share the machine's cores.</summary>
    public double BenchCpuMsPerJob => BenchCpu.TotalMilliseconds / Jobs;
}

/// <summary>
/// One job at a time: each job's overhead published back to back and after an idle pause, where the time of the
/// first went, and the processor time per job of the worker (or stand-in), the broker and the benchmark's own
/// process while the jobs went back to back.
/// </summary>
internal sealed record ClosedLoopRun(IReadOnlyList<double> OverheadMs, IReadOnlyList<double> IdleOverheadMs, OverheadParts Parts, double WorkerCpuMsPerJob, double BrokerCpuMsPerJob, double BenchCpuMsPerJob);

/// <summary>
/// The worker's scenarios: each starts the worker as its own process (its Release build) on its own queues and
/// SQLite file, against the real broker and the Ollama-protocol server.
/// </summary>
internal sealed class WorkerRuns(BenchBroker client, OllamaTestServer ollama, BrokerProcess brokerProcess, Uri broker, string repository, string folder)
{
    public const int Concurrency = 16;

    /// <summary>Embedding (recall), action, thinker, memory policy; jobs skip reflection.</summary>
    public const int ModelCallsPerJob = 4;

    /// <summary>The jobs each worker runs before it is measured (see <see cref="WarmUpAsync"/>).</summary>
    public const int WarmUpJobs = WarmUpRounds * WarmUpRoundJobs;

    /// <summary>The machine's pause before each job of the overhead's second pass: long enough for every thread involved to sleep.</summary>
    public static readonly TimeSpan IdleBetweenJobs = TimeSpan.FromMilliseconds(5);

    private const int WarmUpRounds = 12;
    private const int WarmUpRoundJobs = 500;

    private int scenarios;

    /// <summary>Publishes every job at once and measures until the last outcome arrives.</summary>
    public async Task<OpenLoopRun> OpenLoopAsync(string name, int jobs, string announceEvents = "all")
    {
        await using var run = await StartAsync(name);
        var (names, scenario) = (run.Names, run.Name);
        await using var worker = await StartWorkerAsync(WorkerEnvironment(names, scenario, announceEvents: announceEvents), run);
        await WarmUpAsync(run, worker);
        var before = ProcessorTimesOf(worker);
        var latency = ollama.LatencyAdded;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < jobs; i++)
        {
            await client.PublishJobAsync(names, $"{scenario}-{i:D6}", $"hello from job {i:D6}");
        }

        await client.WaitForAsync(scenario, jobs, TimeSpan.FromMinutes(10));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var used = ProcessorTimesOf(worker) - before;
        var added = ollama.LatencyAdded;
        var modelMsPerCall = (added.Total - latency.Total).TotalMilliseconds / Math.Max(1, added.Calls - latency.Calls);
        var endToEnd = client.Finished.Where(f => f.Key.StartsWith(scenario + "-", StringComparison.Ordinal))
            .Select(f => Stopwatch.GetElapsedTime(client.Published[f.Key], f.Value.At).TotalMilliseconds)
            .ToList();
        var events = await CountEventsAsync(Path.Join(folder, scenario + ".db"), scenario + "-");
        return new OpenLoopRun(jobs, seconds, endToEnd, events, used.Worker, used.Broker, used.Bench, modelMsPerCall);
    }

    /// <summary>
    /// Jobs the worker runs before a measure starts, at model latency 0; prints its processor time per job for
    /// each round of them. A worker runs for days, and its first thousands of jobs, while the JIT compiles and
    /// recompiles its hot paths on the cores the load also wants, are not what it costs: on 2 cores its cost
    /// per job falls by about a third until some 4,000 to 5,000 jobs, and stays flat after.
    /// </summary>
    private async Task WarmUpAsync(BenchScenario run, WorkerProcess worker)
    {
        var latency = ollama.Latency;
        ollama.Latency = TimeSpan.Zero;
        try
        {
            var costs = new List<double>(WarmUpRounds);
            for (var round = 0; round < WarmUpRounds; round++)
            {
                var cpu = worker.ProcessorTime;
                for (var i = 0; i < WarmUpRoundJobs; i++)
                {
                    await client.PublishJobAsync(run.Names, $"{run.Name}.warmup-{(round * WarmUpRoundJobs) + i:D6}", $"warming up {i:D6}");
                }

                await client.WaitForAsync(run.Name + ".warmup", (round + 1) * WarmUpRoundJobs, TimeSpan.FromMinutes(5));
                costs.Add((worker.ProcessorTime - cpu).TotalMilliseconds / WarmUpRoundJobs);
            }

            Console.WriteLine($"  {run.Name} warmed up with {WarmUpJobs} jobs; the worker's ms per job, {WarmUpRoundJobs} at a time: {string.Join(' ', costs.Select(c => c.ToString("F2", CultureInfo.InvariantCulture)))}");
        }
        finally
        {
            ollama.Latency = latency;
        }
    }

    /// <summary>
    /// One job at a time, so that its time is the worker's and the transport's, not a queue's: first each job
    /// published as the one before it finished, then each after the machine sat idle for <see cref="IdleBetweenJobs"/>.
    /// </summary>
    public Task<ClosedLoopRun> ClosedLoopAsync(int jobs, string announceEvents = "all") =>
        ClosedLoopAsync(announceEvents == "all" ? "overhead" : $"overhead-{announceEvents}", jobs, run => StartWorkerAsync(WorkerEnvironment(run.Names, run.Name, announceEvents), run));

    /// <summary>
    /// As <see cref="ClosedLoopAsync(int, string)"/>, with the stand-in worker (<see cref="FloorWorker"/>) in the worker's
    /// place: the floor under the worker's overhead on this machine.
    /// </summary>
    public Task<ClosedLoopRun> FloorAsync(int jobs) =>
        ClosedLoopAsync("floor", jobs, run =>
        {
            var environment = WorkerEnvironment(run.Names, run.Name);

            // Its threads wait for work as the worker's do (the worker's project sets the same knob).
            environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0";
            return ConsumingAsync(WorkerProcess.Start(repository, environment, typeof(FloorWorker).Assembly.Location, FloorWorker.Command), run);
        });

    private async Task<ClosedLoopRun> ClosedLoopAsync(string name, int jobs, Func<BenchScenario, Task<WorkerProcess>> start)
    {
        await using var run = await StartAsync(name);
        await using var worker = await start(run);
        await WarmUpAsync(run, worker);
        var before = ProcessorTimesOf(worker);
        var back = await OneAtATimeAsync(run, 0, jobs, TimeSpan.Zero);
        var used = ProcessorTimesOf(worker) - before;
        var idle = await OneAtATimeAsync(run, jobs, jobs, IdleBetweenJobs);
        var served = ollama.Served.Where(c => c.Began >= back[0].Published).ToList();
        return new ClosedLoopRun(
            [.. back.Select(j => Stopwatch.GetElapsedTime(j.Published, j.Arrived).TotalMilliseconds)],
            [.. idle.Select(j => Stopwatch.GetElapsedTime(j.Published, j.Arrived).TotalMilliseconds)],
            OverheadParts.Of(back.Select(j => (j.Published, j.Arrived, served.Where(c => c.Began >= j.Published && c.Ended <= j.Arrived).OrderBy(c => c.Began).ToList()))),
            used.Worker.TotalMilliseconds / jobs,
            used.Broker.TotalMilliseconds / jobs,
            used.Bench.TotalMilliseconds / jobs);
    }

    /// <summary>The processor time used so far by the worker (or stand-in), the broker and this process.</summary>
    private ProcessorTimes ProcessorTimesOf(WorkerProcess worker) =>
        new(worker.ProcessorTime, brokerProcess.ProcessorTime, Environment.CpuUsage.TotalTime);

    private async Task<List<(long Published, long Arrived)>> OneAtATimeAsync(BenchScenario run, int first, int jobs, TimeSpan idleBetween)
    {
        var taken = new List<(long Published, long Arrived)>(jobs);
        for (var i = first; i < first + jobs; i++)
        {
            if (idleBetween > TimeSpan.Zero)
            {
                await Task.Delay(idleBetween);
            }

            var jobId = $"{run.Name}-{i:D6}";
            await client.PublishJobAsync(run.Names, jobId, $"hello from job {i:D6}");
            await client.WaitForAsync(run.Name, i + 1, TimeSpan.FromMinutes(1));

            // The model's own time is its fixed latency, zero here; everything else is overhead.
            taken.Add((client.Published[jobId], client.Finished[jobId].At));
        }

        return taken;
    }

    /// <summary>Queues every job before the worker starts, then lets it work them off, watching its peak memory.</summary>
    public async Task<(double PeakRssMb, int Lost)> QueuedAsync(int jobs)
    {
        await using var run = await StartAsync("queued");
        var (names, scenario) = (run.Names, run.Name);
        for (var i = 0; i < jobs; i++)
        {
            await client.PublishJobAsync(names, $"{scenario}-{i:D6}", $"hello from job {i:D6}");
        }

        await using var worker = await StartWorkerAsync(WorkerEnvironment(names, scenario), run);
        await client.WaitForAsync(scenario, jobs, TimeSpan.FromMinutes(20));
        var completed = client.Finished.Count(f => f.Key.StartsWith(scenario + "-", StringComparison.Ordinal) && f.Value.Status == "completed");
        return (worker.PeakRssMb(), jobs - completed);
    }

    /// <summary>One task whose action model reads a file four rounds running; then the seed's cost of the same transcript.</summary>
    public async Task<PromptComparison> ToolLoopAsync()
    {
        await using var run = await StartAsync("prompts");
        var (names, scenario) = (run.Names, run.Name);
        var workspace = Path.Join(folder, scenario + "-workspaces", "notes");
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
        var jobId = scenario + "-0";
        await using (var worker = await StartWorkerAsync(WorkerEnvironment(names, scenario), run))
        {
            await client.PublishJobAsync(names, jobId, "Summarize the duck notes of the four days.", workspace: "notes");
            await client.WaitForAsync(scenario, 1, TimeSpan.FromMinutes(1));
        }

        ollama.Fallback = Answer;
        var chats = ollama.Chats.Skip(first).Where(c => c.Model is "action-model" or "thinker-model").ToList();
        var database = new SqliteDatabase(Options.Create(new SqliteOptions { Path = Path.Join(folder, scenario + ".db") }));
        var task = (await new SqliteTaskStore(database).FindByJobIdAsync(jobId, CancellationToken.None))!;
        var observations = new List<JsonObject>();
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

    public static OllamaReply Answer(RecordedChat chat) => chat.Model switch
    {
        "action-model" => OllamaReply.Actions(),
        "memory-model" => OllamaReply.Json(new { should_store = false, summary = "", scope = "workspace", memory_type = "fact", importance = 0 }),
        "critic-model" => OllamaReply.Json(new { summary = "ok", outcome = "success", reusable_lesson = (string?)null }),
        _ => OllamaReply.Text("answer to " + chat.Messages.Last(m => m.Role == "user" && !m.Content.StartsWith("tool_observations", StringComparison.Ordinal)).Content),
    };

    /// <summary>Each run gets queues and a store of its own, so that no run sees another's messages.</summary>
    private Task<BenchScenario> StartAsync(string name)
    {
        var scenario = $"{name}{Interlocked.Increment(ref scenarios)}";
        // Eight hex digits whatever the scenario's name: cut to a fixed length, a long name kept one or two, and a
        // run could meet the queues of an interrupted one of the same name.
        var prefix = $"bench.{scenario}.{Guid.NewGuid().ToString("N")[..8]}";
        return client.StartScenarioAsync(scenario, new RabbitMqOptions
        {
            JobsQueue = prefix + ".jobs",
            EventsExchange = prefix + ".events",
            ApprovalsRequestedQueue = prefix + ".approvals.requested",
            TasksFinishedQueue = prefix + ".tasks.finished",
            DecisionsQueue = prefix + ".decisions",
            DeadLetterExchange = prefix + ".dlx",
            DeadQueue = prefix + ".dead",
        });
    }

    private Dictionary<string, string> WorkerEnvironment(RabbitMqOptions names, string scenario, string announceEvents = "all")
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
            ["DUCK_RabbitMq__AnnounceEvents"] = announceEvents,
            ["DUCK_Sqlite__Path"] = Path.Join(folder, scenario + ".db"),
            ["DUCK_Tools__WorkspaceRoot"] = Path.Join(folder, scenario + "-workspaces"),
            ["DUCK_Ollama__BaseUrl"] = ollama.BaseUrl.ToString(),
            ["DUCK_Ollama__MaxRetries"] = "0",
            ["DUCK_Worker__Concurrency"] = Concurrency.ToString(CultureInfo.InvariantCulture),
            ["DUCK_Worker__MaxToolIterations"] = "4",
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

    /// <summary>
    /// The worker as its own process (its Release build), so that its memory and processor time are its own;
    /// ready once it consumes (its logs are quiet at the benchmark's level).
    /// </summary>
    private async Task<WorkerProcess> StartWorkerAsync(IReadOnlyDictionary<string, string> environment, BenchScenario run)
    {
        var assembly = Path.Join(repository, "src", "DuckWorker", "bin", "Release", "net10.0", "DuckWorker.dll");
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"Build the worker first: dotnet build -c Release DuckWorker.sln (looked for {assembly}).");
        }

        return await ConsumingAsync(WorkerProcess.Start(repository, environment, assembly), run);
    }

    /// <summary>Waits until a worker process just started for <paramref name="run"/> consumes its jobs queue; the run owns it.</summary>
    private async Task<WorkerProcess> ConsumingAsync(WorkerProcess worker, BenchScenario run)
    {
        run.Own(worker);
        var started = Stopwatch.GetTimestamp();
        while (!await client.ConsumedAsync(run.Names.JobsQueue))
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

    /// <summary>The events of the tasks whose job id starts with <paramref name="jobIdPrefix"/>.</summary>
    private static async Task<long> CountEventsAsync(string path, string jobIdPrefix)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM events JOIN tasks USING (task_id) WHERE substr(tasks.job_id, 1, length($prefix)) = $prefix;";
        count.Parameters.AddWithValue("$prefix", jobIdPrefix);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    private readonly record struct ProcessorTimes(TimeSpan Worker, TimeSpan Broker, TimeSpan Bench)
    {
        public static ProcessorTimes operator -(ProcessorTimes after, ProcessorTimes before) =>
            new(after.Worker - before.Worker, after.Broker - before.Broker, after.Bench - before.Bench);
    }
}
