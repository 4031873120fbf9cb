using System.Globalization;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;
using DuckWorker.Testing.Processes;

namespace DuckWorker.Testing.Soak;

/// <summary>
/// The kill-anywhere soak: two worker processes share the broker and one SQLite file; a third of the jobs
/// need an approval that an automatic approver gives or refuses; a worker is SIGKILLed at random moments
/// (any time, right after an approval request, during a tool call) and started again; midway the broker
/// restarts. At the end it checks that every job ended exactly once, no tool call ran twice, no approval
/// was lost and no task is left running or waiting (<see cref="SoakChecks"/>). The kills' timing and
/// moments come from <see cref="KillAnywhereSoakOptions.Seed"/>, printed first, so a failure can be replayed
/// (the workers' own scheduling still varies from run to run).
/// </summary>
public sealed class KillAnywhereSoak
{
    private const int WorkerCount = 2;
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan MomentPatience = TimeSpan.FromSeconds(5);

    private readonly KillAnywhereSoakOptions options;
    private readonly TextWriter log;
    private readonly string folder;
    private readonly string? workerAssembly;
    private readonly Random random;
    private readonly WorkerProcess?[] workers = new WorkerProcess?[WorkerCount];
    private readonly Dictionary<string, int> kills = Enum.GetNames<KillMoment>().ToDictionary(n => n, _ => 0, StringComparer.Ordinal);
    private readonly long started = TimeProvider.System.GetTimestamp();
    private Dictionary<string, string> environment = [];
    private volatile CallAwaited? nextCall;
    private string serving = "";

    private KillAnywhereSoak(KillAnywhereSoakOptions options, TextWriter log, string? workerAssembly)
    {
        this.options = options;
        this.log = log;
        this.workerAssembly = workerAssembly;
        random = new Random(options.Seed);
        folder = Directory.CreateTempSubdirectory("duck-soak-").FullName;
    }

    /// <param name="restartBroker">Restarts the broker; null when it cannot be, and the run goes on without the restart.</param>
    /// <param name="workerAssembly">The worker's DuckWorker.dll; by default the build of the running tests' configuration.</param>
    public static async Task<SoakReport> RunAsync(
        Uri broker,
        Func<CancellationToken, Task>? restartBroker,
        KillAnywhereSoakOptions options,
        TextWriter log,
        CancellationToken cancellationToken,
        string? workerAssembly = null)
    {
        var soak = new KillAnywhereSoak(options, log, workerAssembly);
        return await soak.RunAsync(broker, restartBroker, cancellationToken);
    }

    private TimeSpan Elapsed => TimeProvider.System.GetElapsedTime(started);

    private async Task<SoakReport> RunAsync(Uri brokerUri, Func<CancellationToken, Task>? restartBroker, CancellationToken cancellationToken)
    {
        Say($"seed {options.Seed}: {options.Jobs} jobs, kills {(options.MaxKills == int.MaxValue ? "until the end" : options.MaxKills)} every {options.KillEvery.Min.TotalSeconds:0.#}–{options.KillEvery.Max.TotalSeconds:0.#} s, broker restart {(options.RestartBroker ? restartBroker is null ? "not possible" : "midway" : "off")}; files in {folder}");
        var jobs = SoakJob.Plan(options);
        var names = new BrokerNames($"soak{Guid.NewGuid():N}"[..14]);
        await using var ollama = await OllamaTestServer.StartAsync(cancellationToken);
        ollama.Latency = options.ModelLatency;
        ollama.Fallback = SoakReplies.Answer;
        var counter = CallCounter.Create(folder, options.ToolCallDuration);
        environment = Environment(brokerUri, names, ollama, counter);
        foreach (var job in jobs)
        {
            var workspace = Directory.CreateDirectory(Path.Join(folder, "workspaces", job.JobId)).FullName;
            for (var step = 1; step <= SoakJob.Steps; step++)
            {
                await File.WriteAllTextAsync(Path.Join(workspace, SoakJob.StepFile(step)), $"step {step} of {job.JobId}\n", cancellationToken);
            }
        }

        // One after the other: the first creates the SQLite schema and the broker's topology.
        serving = $"Consuming {names.Jobs},";
        for (var slot = 0; slot < WorkerCount; slot++)
        {
            workers[slot] = StartWorker();
            await workers[slot]!.WaitForOutputAsync(serving, StartPatience, cancellationToken);
        }

        var store = new SoakStore(Path.Join(folder, "duck.db"));
        SoakReport report;
        await using (var broker = await SoakBroker.ConnectAsync(brokerUri, names, jobs, options.Seed, cancellationToken))
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var restarts = 0;
            string? restartNote = options.RestartBroker && restartBroker is null ? "the broker cannot be restarted here" : null;
            var watching = WatchCallsAsync(counter, stop.Token);
            var killing = KillAsync(broker, stop.Token);
            var publishing = PublishAsync(broker, jobs, async () =>
            {
                if (options.RestartBroker && restartBroker is not null)
                {
                    Say("restarting the broker");
                    try
                    {
                        await restartBroker(cancellationToken);
                        restarts++;
                        Say("the broker is back");
                    }
                    catch (InvalidOperationException ex)
                    {
                        restartNote = ex.Message;
                        Say($"the broker could not be restarted: {ex.Message}");
                    }
                }
            }, cancellationToken);

            await WaitForTheEndAsync(jobs, store, broker, publishing, killing, cancellationToken);
            await stop.CancelAsync();
            await Task.WhenAll(Quietly(watching), Quietly(killing), publishing);
            foreach (var worker in workers)
            {
                if (worker is not null)
                {
                    await worker.DisposeAsync();
                }
            }

            report = SoakChecks.Check(
                jobs,
                await store.TasksAsync(cancellationToken),
                await store.EventsAsync(cancellationToken),
                await store.ApprovalsAsync(cancellationToken),
                counter.All(),
                broker,
                options.MaxAttempts) with
            {
                Seed = options.Seed,
                Kills = kills,
                BrokerRestarts = restarts,
                BrokerRestartNote = restartNote,
                Duration = Elapsed,
            };
            await broker.DeleteTopologyAsync(cancellationToken);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (report.Problems.Count == 0)
        {
            Directory.Delete(folder, recursive: true);
        }
        else
        {
            Say($"kept the store, the counter and the workspaces in {folder}");
        }

        return report;
    }

    private Dictionary<string, string> Environment(Uri broker, BrokerNames names, OllamaTestServer ollama, CallCounter counter)
    {
        var settings = WorkerEnvironment.For(
            broker,
            names,
            ollama.BaseUrl,
            folder,
            ("thinker", SoakReplies.Thinker),
            ("action", SoakReplies.Action),
            ("critic", SoakReplies.Critic),
            ("memory", SoakReplies.Memory),
            ("embedding", SoakReplies.Embedding));
        settings["DUCK_Worker__Concurrency"] = "4";
        settings["DUCK_Worker__LeaseDuration"] = Format(options.LeaseDuration);
        settings["DUCK_Worker__SweepInterval"] = Format(options.LeaseDuration / 4);
        settings["DUCK_Worker__RequeueDelay"] = "00:00:00.200";
        settings["DUCK_Worker__ShutdownTimeout"] = "00:00:01";
        settings["DUCK_Worker__MaxAttempts"] = options.MaxAttempts.ToString(CultureInfo.InvariantCulture);
        // Every kill may hand an unacknowledged job back to the broker; the soak's kills must not exhaust the
        // delivery limit of a job that is never at fault.
        settings["DUCK_RabbitMq__DeliveryLimit"] = "50";
        settings["DUCK_RabbitMq__MaxReconnectDelay"] = "00:00:01";
        // The counting `cat` (CallCounter) and its file live outside the workspaces, where a bubblewrap sandbox
        // would not let a command see them; the soak checks delivery, the sandbox has tests of its own.
        settings["DUCK_Tools__Sandbox"] = "off";
        settings["PATH"] = counter.BinFolder + ":" + (System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin");
        return settings;
    }

    private static string Format(TimeSpan span) => span.ToString("c", CultureInfo.InvariantCulture);

    /// <summary>True once the worker in <paramref name="slot"/> consumes jobs, until it dies.</summary>
    private bool Serving(int slot) => workers[slot] is { HasExited: false } worker && worker.Output.Contains(serving, StringComparison.Ordinal);

    private WorkerProcess StartWorker() => WorkerProcess.Start(folder, environment, workerAssembly);

    private async Task PublishAsync(SoakBroker broker, IReadOnlyList<SoakJob> jobs, Func<Task> midway, CancellationToken cancellationToken)
    {
        Task restart = Task.CompletedTask;
        foreach (var job in jobs)
        {
            if (job.Number == jobs.Count / 2)
            {
                // Beside the publishing, so that jobs are also published while the broker is down.
                restart = midway();
            }

            await broker.PublishJobAsync(job, job.JobId, cancellationToken);
            await Task.Delay(options.PublishEvery, cancellationToken);
        }

        await restart;
        Say($"all {jobs.Count} jobs published");
    }

    private async Task KillAsync(SoakBroker broker, CancellationToken cancellationToken)
    {
        for (var killed = 0; killed < options.MaxKills; killed++)
        {
            // The interval runs once every worker serves again: on a busy machine a start can take longer
            // than the interval, and kills faster than starts would starve the run instead of testing it.
            for (var waited = TimeSpan.Zero; waited < StartPatience && !Enumerable.Range(0, WorkerCount).All(Serving); waited += TimeSpan.FromMilliseconds(100))
            {
                await Task.Delay(100, cancellationToken);
            }

            await Task.Delay(Draw(options.KillEvery), cancellationToken);
            var moment = (KillMoment)random.Next(Enum.GetValues<KillMoment>().Length);
            var slot = random.Next(WorkerCount);
            var down = Draw(options.DownFor);
            switch (moment)
            {
                case KillMoment.AfterApprovalRequest:
                    var request = broker.NextApprovalRequestAsync();
                    if (await Task.WhenAny(request, Task.Delay(MomentPatience, cancellationToken)) == request)
                    {
                        // The worker that ran the job: the one whose output names it, when only one does.
                        var naming = Enumerable.Range(0, WorkerCount).Where(s => workers[s] is { HasExited: false } w && w.Output.Contains(request.Result, StringComparison.Ordinal)).ToList();
                        slot = naming is [var only] ? only : slot;
                    }
                    else
                    {
                        moment = KillMoment.Anytime;
                    }

                    break;
                case KillMoment.DuringToolCall or KillMoment.DuringApprovedCall:
                    var call = new TaskCompletionSource<RanCall>(TaskCreationOptions.RunContinuationsAsynchronously);
                    nextCall = new CallAwaited(call, moment == KillMoment.DuringApprovedCall);
                    if (await Task.WhenAny(call.Task, Task.Delay(MomentPatience, cancellationToken)) == call.Task)
                    {
                        slot = SlotOf(call.Task.Result.ParentProcess) ?? slot;
                    }
                    else
                    {
                        moment = KillMoment.Anytime;
                    }

                    nextCall = null;
                    break;
            }

            if (!Serving(slot))
            {
                // The chosen worker died or has not come back (its start outlived the patience): the other goes.
                slot = (slot + 1) % WorkerCount;
                if (!Serving(slot))
                {
                    killed--;
                    continue;
                }
            }

            var victim = workers[slot]!;

            await victim.KillAsync();
            kills[moment.ToString()]++;
            Say($"kill {killed + 1}: worker {slot} (process {victim.Id}) {moment}, down for {down.TotalMilliseconds:0} ms");
            await Task.Delay(down, cancellationToken);
            await victim.DisposeAsync();
            workers[slot] = StartWorker();
        }
    }

    private async Task WatchCallsAsync(CallCounter counter, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var call in counter.New())
            {
                if (nextCall is { } waiting && waiting.Approved == SoakJob.StepOf(call.Step) > 1)
                {
                    waiting.Call.TrySetResult(call);
                }
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <summary>The worker that started a process: its parent, or an ancestor a few generations up.</summary>
    private int? SlotOf(int process)
    {
        for (var generation = 0; generation < 4 && process > 1; generation++)
        {
            for (var slot = 0; slot < WorkerCount; slot++)
            {
                if (workers[slot] is { HasExited: false } worker && worker.Id == process)
                {
                    return slot;
                }
            }

            process = ParentOf(process);
        }

        return null;
    }

    private static int ParentOf(int process)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid …"; the name may hold spaces and parentheses.
            var stat = File.ReadAllText($"/proc/{process}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Until every job has a finished task and an outcome message; or the patience runs out; or, once the
    /// jobs are published and the kills over, nothing has moved for <see cref="KillAnywhereSoakOptions.Stuck"/>.
    /// </summary>
    private async Task WaitForTheEndAsync(IReadOnlyList<SoakJob> jobs, SoakStore store, SoakBroker broker, Task publishing, Task killing, CancellationToken cancellationToken)
    {
        var lastProgress = (Count: -1, At: TimeProvider.System.GetTimestamp());
        var lastSaid = TimeSpan.Zero;
        while (true)
        {
            await Task.Delay(250, cancellationToken);
            var finished = (await store.TasksAsync(cancellationToken)).Where(t => t.Finished).Select(t => t.JobId).ToHashSet(StringComparer.Ordinal);
            var announced = jobs.Count(j => broker.Outcomes.ContainsKey(j.JobId));
            if (finished.Count == jobs.Count && announced == jobs.Count)
            {
                Say($"every job finished and was announced");
                return;
            }

            if (Elapsed - lastSaid > TimeSpan.FromSeconds(10))
            {
                lastSaid = Elapsed;
                Say($"{finished.Count} of {jobs.Count} jobs finished, {announced} announced");
            }

            if (finished.Count + announced != lastProgress.Count || !publishing.IsCompleted || !killing.IsCompleted && options.MaxKills != int.MaxValue)
            {
                lastProgress = (finished.Count + announced, TimeProvider.System.GetTimestamp());
            }
            else if (TimeProvider.System.GetElapsedTime(lastProgress.At) > options.Stuck)
            {
                Say($"nothing moved for {options.Stuck.TotalSeconds:0} s: {jobs.Count - finished.Count} jobs unfinished, {jobs.Count - announced} unannounced");
                return;
            }

            if (Elapsed > options.Patience)
            {
                Say($"out of patience after {options.Patience}: {jobs.Count - finished.Count} jobs unfinished, {jobs.Count - announced} unannounced");
                return;
            }
        }
    }

    private TimeSpan Draw((TimeSpan Min, TimeSpan Max) range) =>
        range.Min + (range.Max - range.Min) * random.NextDouble();

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
            // Stopped on purpose at the end of the run.
        }
    }

    /// <summary>The kill loop waits for the next call of one kind (an approved one or not) to kill its worker.</summary>
    private sealed record CallAwaited(TaskCompletionSource<RanCall> Call, bool Approved);

    private void Say(string line) => log.WriteLine($"[soak {Elapsed.TotalSeconds,6:0.0} s] {line}");
}
