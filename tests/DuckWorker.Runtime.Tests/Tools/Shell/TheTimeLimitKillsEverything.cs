namespace DuckWorker.Runtime.Tests.Tools.Shell;

public sealed class TheTimeLimitKillsEverything : IDisposable
{
    private readonly SandboxScene scene = new();

    [Fact(Timeout = 60_000)]
    public async Task ACommandThatOutlivesItsTimeoutGoesWithEverythingItStartedWhereverItHid()
    {
        SandboxScene.SkipUnlessBubblewrapWorks();
        var marker = $"duck-marker-{Guid.NewGuid():N}";

        var ran = await scene.RunAsync(
            $"sh -c 'sleep 300; echo {marker}' & setsid sh -c 'sleep 300; echo {marker}' & nohup sh -c 'sleep 300; echo {marker}' >/dev/null 2>&1 & sh -c 'sleep 300; echo {marker}'",
            configure: o => o.ShellTimeout = TimeSpan.FromSeconds(1));

        Assert.True(ran.TimedOut);
        Assert.Null(ran.ExitCode);
        Assert.Empty(await SandboxScene.SurvivorsAsync(marker));
    }

    public void Dispose() => scene.Dispose();
}
