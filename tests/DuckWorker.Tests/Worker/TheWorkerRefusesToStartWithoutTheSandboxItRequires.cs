using DuckWorker.Testing.Processes;

namespace DuckWorker.Tests.Worker;

public sealed class TheWorkerRefusesToStartWithoutTheSandboxItRequires : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("duck-required-sandbox-").FullName;

    [Fact(Timeout = 120_000)]
    public async Task ItExitsAtStartWithOneLineThatNamesTheSettingAndHowToInstallBubblewrap()
    {
        var environment = new Dictionary<string, string>
        {
            ["DUCK_Tools__Sandbox"] = "required",
            ["DUCK_Tools__BubblewrapPath"] = "/nonexistent/bwrap",
            ["DUCK_Tools__WorkspaceRoot"] = Path.Join(folder, "workspaces"),
            ["DUCK_Sqlite__Path"] = Path.Join(folder, "duck.db"),
            ["DUCK_Health__Port"] = "0",
            ["DUCK_RabbitMq__Uri"] = "amqp://guest:guest@127.0.0.1:1/",
        };

        await using var worker = WorkerProcess.Start(folder, environment);
        while (!worker.HasExited)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        // Its last lines may still be on their way through the pipe.
        for (var i = 0; i < 100 && !worker.Output.Contains("bubblewrap", StringComparison.Ordinal); i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Equal(78, worker.ExitCode);
        var line = Assert.Single(worker.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("DuckWorker cannot start: Tools:Sandbox is 'required'", line, StringComparison.Ordinal);
        Assert.Contains("apt-get install bubblewrap", line, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
