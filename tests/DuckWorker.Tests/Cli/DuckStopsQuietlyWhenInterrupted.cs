using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;
using DuckWorker.Testing.Processes;

namespace DuckWorker.Tests.Cli;

/// <summary>Ctrl+C (SIGINT) or SIGTERM ends every command that waits with exit code 130 and not a word of exception.</summary>
public sealed class DuckStopsQuietlyWhenInterrupted(BrokerFixture broker)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string> WaitingCommands() => new()
    {
        { "approvals watch", "INT" },
        { "approvals watch", "TERM" },
        { "submit --wait", "INT" },
        { "submit --wait", "TERM" },
        { "tasks events --follow", "INT" },
        { "tasks events --follow", "TERM" },
        { "batch", "INT" },
        { "batch", "TERM" },
        { "run", "INT" },
        { "run", "TERM" },
        { "run, asking for approval", "INT" },
        { "run, asking for approval", "TERM" },
    };

    [Theory]
    [MemberData(nameof(WaitingCommands))]
    public async Task TheCommandExitsWith130(string command, string signal)
    {
        broker.SkipIfUnavailable();
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = command == "run, asking for approval" ? Replies.Writing : _ => OllamaReply.Hanging();
        var names = broker.UniqueNames();
        var settings = worker.Settings.Concat(names.Settings(broker.Uri!)).ToList();
        var requests = Path.Join(worker.Folder, "requests.jsonl");
        await File.WriteAllLinesAsync(requests, ["""{"message": "one"}"""], Ct);
        string[] args = command switch
        {
            "approvals watch" => ["approvals", "watch"],
            "submit --wait" => ["submit", "hello", "--wait"],
            "tasks events --follow" => ["tasks", "events", "not-taken-yet", "--follow"],
            "batch" => ["batch", requests, "-o", Path.Join(worker.Folder, "results.jsonl")],
            "run" => ["run", "hello"],
            _ => ["run", "please write a.txt", "--no-reflect"],
        };

        try
        {
            await using var duck = DuckProcess.Start(settings, args);
            await (command switch
            {
                "approvals watch" => duck.WaitForOutputAsync("Watching", Patience, Ct),
                "submit --wait" => duck.WaitForOutputAsync("Submitted job", Patience, Ct),
                "tasks events --follow" => duck.WaitForOutputAsync("queued", Patience, Ct),
                "batch" => duck.WaitForOutputAsync("1 submitted.", Patience, Ct),
                "run" => WaitForAsync(() => worker.Ollama.Chats.Count > 0),
                _ => duck.WaitForOutputAsync("  forever: ", Patience, Ct),
            });

            await duck.SignalAsync(signal, Patience, Ct);

            Assert.True(duck.ExitCode == 130, $"exit code {duck.ExitCode}:\n{duck.Output}");
            Assert.DoesNotContain("Exception", duck.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", duck.Output, StringComparison.Ordinal);
        }
        finally
        {
            await broker.DeleteAsync(names, CancellationToken.None);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetElapsedTime(started) < Patience, "duck never called the model");
            await Task.Delay(50, Ct);
        }
    }
}
