using DuckWorker.Runtime.Tools;
using DuckWorker.Runtime.Tools.Shell;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tests.Tools.Shell;

public sealed class TheShellRunnerContainsWhatItRuns : IDisposable
{
    private readonly string workspace = WorkspacePath.RealPath(Directory.CreateTempSubdirectory("duck-shell-").FullName);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ShellRunner Runner(int maxOutputBytes = 65536, double timeoutSeconds = 30) =>
        new(Options.Create(new ToolsOptions { WorkspaceRoot = "/", MaxOutputBytes = maxOutputBytes, ShellTimeout = TimeSpan.FromSeconds(timeoutSeconds) }), TimeProvider.System);

    [Fact]
    public async Task ACommandRunsInTheWorkspaceWithItsExitStatusAndBothStreams()
    {
        var ran = await Runner().RunAsync("pwd; echo oops >&2; exit 3", workspace, Ct);

        Assert.Equal(3, ran.ExitCode);
        Assert.Equal($"{workspace}\n\n[stderr]\noops\n", ran.Output);
        Assert.False(ran.TimedOut);
    }

    [Fact]
    public async Task TheEnvironmentHoldsNoSecretAndHomeIsTheWorkspace()
    {
        Environment.SetEnvironmentVariable("DUCK_TEST_API_TOKEN", "tok-123-secret");
        Environment.SetEnvironmentVariable("DUCK_TEST_DB", "Server=db;User Id=sa;Password=hunter2;");
        try
        {
            var ran = await Runner().RunAsync("env; cd ~ && pwd", workspace, Ct);

            Assert.DoesNotContain("tok-123-secret", ran.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", ran.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("DUCK_", ran.Output, StringComparison.Ordinal);
            Assert.Contains($"HOME={workspace}", ran.Output, StringComparison.Ordinal);
            Assert.EndsWith($"{workspace}\n", ran.Output, StringComparison.Ordinal);
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
        var ran = await Runner(timeoutSeconds: 20).RunAsync("cat; read line; echo \"read: $?\"", workspace, Ct);

        Assert.False(ran.TimedOut);
        Assert.Equal("read: 1\n", ran.Output);
    }

    [Fact(Timeout = 60_000)]
    public async Task TheTimeoutKillsTheCommandAndEverythingItStarted()
    {
        var ran = await Runner(timeoutSeconds: 1).RunAsync("sleep 300 & echo $! > background.pid; sleep 300", workspace, Ct);

        Assert.True(ran.TimedOut);
        Assert.Null(ran.ExitCode);
        var background = int.Parse(await File.ReadAllTextAsync(Path.Join(workspace, "background.pid"), Ct), System.Globalization.CultureInfo.InvariantCulture);
        await WaitUntilGoneAsync(background);
    }

    [Fact(Timeout = 60_000)]
    public async Task NothingACommandLeftInTheBackgroundOutlivesIt()
    {
        var ran = await Runner().RunAsync("(sleep 300 & echo $! > left.pid); echo done", workspace, Ct);

        Assert.Equal((0, "done\n"), (ran.ExitCode, ran.Output));
        var left = int.Parse(await File.ReadAllTextAsync(Path.Join(workspace, "left.pid"), Ct), System.Globalization.CultureInfo.InvariantCulture);
        await WaitUntilGoneAsync(left);
    }

    [Fact(Timeout = 60_000)]
    public async Task EndlessOutputIsCappedKeepingItsStartAndItsEnd()
    {
        var ran = await Runner(maxOutputBytes: 4096).RunAsync("seq 1 200000", workspace, Ct);

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
