namespace DuckWorker.Testing.Soak;

/// <summary>How long and how hard <see cref="KillAnywhereSoak"/> shakes the workers.</summary>
public sealed record KillAnywhereSoakOptions
{
    /// <summary>The short form <c>.ci/run</c> runs: 40 jobs, 6 kills, one broker restart.</summary>
    public static KillAnywhereSoakOptions Short(int seed) => new() { Seed = seed };

    /// <summary>The long form of the benchmark: 300 jobs, a kill every 1–4 s until every job is done.</summary>
    public static KillAnywhereSoakOptions Long(int seed) => new()
    {
        Seed = seed,
        Jobs = 300,
        MaxKills = int.MaxValue,
        KillEvery = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4)),
        Patience = TimeSpan.FromMinutes(20),
    };

    public int Jobs { get; init; } = 40;

    /// <summary>Every third job asks for an approval (the others only read).</summary>
    public int ApprovalEvery { get; init; } = 3;

    /// <summary>Every fourth approval is denied, the others allowed once.</summary>
    public int DenyEvery { get; init; } = 4;

    /// <summary>Kills stop after this many, or once every job has its outcome.</summary>
    public int MaxKills { get; init; } = 6;

    /// <summary>The wait before each kill is drawn from this range.</summary>
    public (TimeSpan Min, TimeSpan Max) KillEvery { get; init; } = (TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2.5));

    /// <summary>How long a killed worker stays down before it is started again.</summary>
    public (TimeSpan Min, TimeSpan Max) DownFor { get; init; } = (TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(1500));

    /// <summary>Jobs are published one after another at this pace, so that kills fall on every phase of a job.</summary>
    public TimeSpan PublishEvery { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The Ollama test server's latency per model call.</summary>
    public TimeSpan ModelLatency { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long each tool call lasts (its command sleeps after recording itself), so that kills land inside tool calls.</summary>
    public TimeSpan ToolCallDuration { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Restarts the broker once, when half the jobs have been published.</summary>
    public bool RestartBroker { get; init; } = true;

    public int Seed { get; init; } = Environment.TickCount;

    /// <summary>How long the whole run may take before the unfinished jobs are reported as such.</summary>
    public TimeSpan Patience { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>With no job finishing for this long after the kills stopped, the rest are reported stuck.</summary>
    public TimeSpan Stuck { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The workers' <c>Worker:MaxAttempts</c>: how many interrupted runs in a row a task survives.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The worker's lease: a killed run's task is taken over this long after it died.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(3);
}
