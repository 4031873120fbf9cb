using System.Globalization;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Soak;

namespace DuckWorker.Tests.Worker;

/// <summary>The short form of the kill-anywhere soak (issue 13); the long form is <c>bench … -- soak</c>.</summary>
[Collection(nameof(RunsAlone))]
public sealed class EveryJobEndsOnceWhereverAWorkerIsKilled(BrokerFixture broker)
{
    /// <summary>Replays a run: the seed its report printed.</summary>
    private const string SeedVariable = "DUCK_SOAK_SEED";

    [Fact]
    public async Task FortyJobsSixKillsAndABrokerRestartEndEveryJobOnceRunNoCallTwiceAndLoseNoApproval()
    {
        broker.SkipIfUnavailable();
        var seed = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var replay) ? replay : Random.Shared.Next();
        var options = KillAnywhereSoakOptions.Short(seed);
        var output = TestContext.Current.TestOutputHelper!;
        using var log = new StringWriter(CultureInfo.InvariantCulture);

        var report = await KillAnywhereSoak.RunAsync(broker.Uri!, broker.CanRestart ? broker.RestartAsync : null, options, log, TestContext.Current.CancellationToken);

        output.WriteLine(log.ToString());
        output.WriteLine(report.ToString());
        Assert.True(report.Problems.Count == 0, report.ToString());
        Assert.Equal(options.Jobs, report.Completed + report.Failed);
        // Kills stop once every job is done: a fast machine may finish the forty jobs before the sixth.
        Assert.InRange(report.TotalKills, 1, options.MaxKills);
        Assert.Equal(report.ApprovalsRequested, report.ApprovalsDecided);
        Assert.Equal(broker.CanRestart ? 1 : 0, report.BrokerRestarts);
    }
}
