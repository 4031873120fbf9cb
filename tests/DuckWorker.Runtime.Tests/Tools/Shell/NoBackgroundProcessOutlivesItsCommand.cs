namespace DuckWorker.Runtime.Tests.Tools.Shell;

public sealed class NoBackgroundProcessOutlivesItsCommand : IDisposable
{
    private readonly SandboxScene scene = new();

    [Theory]
    [InlineData("sh -c 'sleep 300; echo {0}' &")]
    [InlineData("set -m; sh -c 'sleep 300; echo {0}' &")]
    [InlineData("nohup sh -c 'sleep 300; echo {0}' >/dev/null 2>&1 &")]
    [InlineData("setsid sh -c 'sleep 300; echo {0}' &")]
    [InlineData("setsid -f sh -c 'sleep 300; echo {0}' >/dev/null 2>&1; (trap '' HUP; sh -c 'sleep 300; echo {0}' &)")]
    public async Task WhateverTheCommandLeftRunningIsGoneWhenItEnds(string background)
    {
        SandboxScene.SkipUnlessBubblewrapWorks();
        var marker = $"duck-marker-{Guid.NewGuid():N}";

        var ran = await scene.RunAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, background, marker) + "\necho started");

        Assert.Equal((0, "started\n"), (ran.ExitCode, ran.Output));
        Assert.Empty(await SandboxScene.SurvivorsAsync(marker));
    }

    public void Dispose() => scene.Dispose();
}
