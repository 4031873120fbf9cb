namespace DuckWorker.Runtime.Tests.Tools.Shell;

public sealed class TheWorkersEnvironmentIsUnreadableThroughProc : IDisposable
{
    private const string Secret = "duck-proc-secret-4711";

    private readonly SandboxScene scene = new();

    [Fact]
    public async Task NoProcessInsideSeesTheWorkersEnvironmentOrItsProcesses()
    {
        SandboxScene.SkipUnlessBubblewrapWorks();
        Environment.SetEnvironmentVariable("DUCK_TEST_PROC_SECRET", Secret);
        try
        {
            var ran = await scene.RunAsync(
                "cat /proc/*/environ /proc/$PPID/environ /proc/1/environ 2>&1 | tr '\\0' '\\n'; env; ls /proc | grep -c '^[0-9]'; echo end");

            Assert.Equal(0, ran.ExitCode);
            Assert.DoesNotContain(Secret, ran.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("DUCK_TEST_PROC_SECRET", ran.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(Environment.ProcessId + "/", ran.Output, StringComparison.Ordinal);
            var processes = int.Parse(ran.Output.Split('\n')[^3], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(processes, 1, 8);
        }
        finally
        {
            Environment.SetEnvironmentVariable("DUCK_TEST_PROC_SECRET", null);
        }
    }

    public void Dispose() => scene.Dispose();
}
