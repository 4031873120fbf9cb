using DuckWorker.Runtime.Tools;
using DuckWorker.Runtime.Tools.Shell;

namespace DuckWorker.Runtime.Tests.Tools.Shell;

/// <summary>What holds even unconfined (<c>Tools:Sandbox</c> off); the sandbox's own properties have files of their own.</summary>
public sealed class TheShellRunnerContainsWhatItRuns : IDisposable
{
    private readonly string workspace = WorkspacePath.RealPath(Directory.CreateTempSubdirectory("duck-shell-").FullName);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ShellRunner Runner(int maxOutputBytes = 65536, double timeoutSeconds = 30, string sandbox = "off") =>
        SandboxScene.Runner(SandboxScene.Options(sandbox, o =>
        {
            o.MaxOutputBytes = maxOutputBytes;
            o.ShellTimeout = TimeSpan.FromSeconds(timeoutSeconds);
        }));

    [Fact]
    public async Task ACommandRunsInTheWorkspaceWithItsExitStatusAndBothStreams()
    {
        var ran = await Runner().RunAsync("pwd; echo oops >&2; exit 3", workspace, ShellNetwork.Denied, Ct);

        Assert.Equal(3, ran.ExitCode);
        Assert.Equal($"{workspace}\n\n[stderr]\noops\n", ran.Output);
        Assert.False(ran.TimedOut);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("required")]
    public async Task TheEnvironmentHoldsNoSecretAndHomeIsAnEmptyFolderOfItsOwnNeverTheWorkspace(string sandbox)
    {
        if (sandbox == "required")
        {
            SandboxScene.SkipUnlessBubblewrapWorks();
        }

        Environment.SetEnvironmentVariable("DUCK_TEST_API_TOKEN", "tok-123-secret");
        Environment.SetEnvironmentVariable("DUCK_TEST_DB", "Server=db;User Id=sa;Password=hunter2;");
        try
        {
            var ran = await Runner(sandbox: sandbox).RunAsync("env; cd ~ && ls -A | wc -l && pwd", workspace, ShellNetwork.Denied, Ct);

            Assert.DoesNotContain("tok-123-secret", ran.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", ran.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("DUCK_", ran.Output, StringComparison.Ordinal);
            Assert.DoesNotContain($"HOME={workspace}", ran.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("HOME=/workspace", ran.Output, StringComparison.Ordinal);
            Assert.Contains("GIT_CONFIG_NOSYSTEM=1\n", ran.Output, StringComparison.Ordinal);
            Assert.Contains("GIT_CONFIG_GLOBAL=/dev/null\n", ran.Output, StringComparison.Ordinal);
            Assert.Contains("LESSKEYIN=/dev/null\n", ran.Output, StringComparison.Ordinal);
            var home = ran.Output.Split('\n').Single(l => l.StartsWith("HOME=", StringComparison.Ordinal))["HOME=".Length..];
            Assert.Contains($"XDG_CONFIG_HOME={home}/.config\n", ran.Output, StringComparison.Ordinal);
            Assert.EndsWith($"\n0\n{home}\n", ran.Output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DUCK_TEST_API_TOKEN", null);
            Environment.SetEnvironmentVariable("DUCK_TEST_DB", null);
        }
    }

    [Theory]
    [InlineData("PATH", "/usr/bin", false)]
    [InlineData("GITHUB_TOKEN", "ghp_x", true)]
    [InlineData("AWS_SECRET_ACCESS_KEY", "x", true)]
    [InlineData("DB_PASSWORD", "x", true)]
    [InlineData("LANG", "amqp://guest:guest@host/", true)]
    [InlineData("TZ", "Host=db;Password=x", true)]
    public void SecretLookingVariablesAreRecognized(string name, string value, bool secret) =>
        Assert.Equal(secret, ShellEnvironment.LooksSecret(name, value));

    [Fact(Timeout = 60_000)]
    public async Task StandardInputIsClosedSoACommandWaitingForItEndsAtOnce()
    {
        var ran = await Runner(timeoutSeconds: 20).RunAsync("cat; read line; echo \"read: $?\"", workspace, ShellNetwork.Denied, Ct);

        Assert.False(ran.TimedOut);
        Assert.Equal("read: 1\n", ran.Output);
    }

    [Fact(Timeout = 60_000)]
    public async Task TheTimeoutKillsTheCommandAndEverythingItStarted()
    {
        var ran = await Runner(timeoutSeconds: 1).RunAsync("sleep 300 & echo $! > background.pid; sleep 300", workspace, ShellNetwork.Denied, Ct);

        Assert.True(ran.TimedOut);
        Assert.Null(ran.ExitCode);
        var background = int.Parse(await File.ReadAllTextAsync(Path.Join(workspace, "background.pid"), Ct), System.Globalization.CultureInfo.InvariantCulture);
        await WaitUntilGoneAsync(background);
    }

    [Fact(Timeout = 60_000)]
    public async Task NothingACommandLeftInTheBackgroundOutlivesIt()
    {
        var ran = await Runner().RunAsync("(sleep 300 & echo $! > left.pid); echo done", workspace, ShellNetwork.Denied, Ct);

        Assert.Equal((0, "done\n"), (ran.ExitCode, ran.Output));
        var left = int.Parse(await File.ReadAllTextAsync(Path.Join(workspace, "left.pid"), Ct), System.Globalization.CultureInfo.InvariantCulture);
        await WaitUntilGoneAsync(left);
    }

    [Fact(Timeout = 60_000)]
    public async Task EndlessOutputIsCappedKeepingItsStartAndItsEnd()
    {
        var ran = await Runner(maxOutputBytes: 4096).RunAsync("seq 1 200000", workspace, ShellNetwork.Denied, Ct);

        Assert.Equal(0, ran.ExitCode);
        Assert.True(ran.Truncated);
        Assert.StartsWith("1\n2\n3\n", ran.Output, StringComparison.Ordinal);
        Assert.EndsWith("199999\n200000\n", ran.Output, StringComparison.Ordinal);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(ran.Output) < 4096 + 64);
    }

    public void Dispose() => Directory.Delete(workspace, recursive: true);

    /// <summary>A killed process may take a moment to be reaped; a live one never disappears.</summary>
    private static async Task WaitUntilGoneAsync(int pid)
    {
        for (var i = 0; i < 100 && Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal); i++)
        {
            await Task.Delay(50, Ct);
        }

        Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal), $"process {pid} is still running");
    }
}
