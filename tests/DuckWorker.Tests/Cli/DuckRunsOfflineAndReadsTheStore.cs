using System.Text.Json;
using DuckWorker.Runtime.Stores;

namespace DuckWorker.Tests.Cli;

public sealed class DuckRunsOfflineAndReadsTheStore
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RunAsksForApprovalOnItsInputAndPrintsTheAnswer()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = Replies.Writing;
        var workspace = worker.Workspace("offline");

        var (exit, output, errors) = await Duck.RunAsync(worker.Settings, "maybe\na\n", "run", "please write notes.txt", "--workspace", "offline", "--no-reflect");

        Assert.True(exit == 0, errors);
        Assert.Contains("  tool:    fs_write", output, StringComparison.Ordinal);
        Assert.Equal(2, output.Split("[a]llow once, allow [f]orever, [e]dit then allow once, [d]eny? ").Length - 1);
        Assert.Contains("  decided: allow_once", output, StringComparison.Ordinal);
        Assert.EndsWith("answer to please write notes.txt\n", output, StringComparison.Ordinal);
        Assert.Equal("written by duck", await File.ReadAllTextAsync(Path.Join(workspace, "notes.txt"), Ct));
    }

    [Fact]
    public async Task RunTakesAnEditOrACommentWithTheDecisionAndRefusesAnEditThePolicyBlocks()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = Replies.Writing;
        var workspace = worker.Workspace("offline");
        var approvals = worker.Services.GetRequiredService<IApprovalStore>();

        // An edit that leaves the workspace is refused and asked again; the next one is written as edited.
        var edited = await Duck.RunAsync(worker.Settings, "e {\"path\": \"../outside.txt\"}\ne {\"content\": \"edited by a person\"}\n", "run", "please write notes.txt", "--workspace", "offline", "--no-reflect");
        var denied = await Duck.RunAsync(worker.Settings, "d the file is not needed\n", "run", "please write other.txt", "--workspace", "offline", "--no-reflect");
        var unprintable = await Duck.RunAsync(worker.Settings, "d not \u0007 this\n", "run", "please write third.txt", "--workspace", "offline", "--no-reflect");

        Assert.True(edited.Exit == 0, edited.Errors);
        Assert.Contains("Refused: The edited fs_write call", edited.Errors, StringComparison.Ordinal);
        Assert.Contains("  decided: allow_once (edited)", edited.Output, StringComparison.Ordinal);
        Assert.Equal("edited by a person", await File.ReadAllTextAsync(Path.Join(workspace, "notes.txt"), Ct));
        Assert.False(File.Exists(Path.Join(workspace, "..", "outside.txt")));
        Assert.Equal("edited by a person", (await approvals.GetAsync(ApprovalId(edited.Output), Ct))!.EditedArgs!["content"]!.GetValue<string>());

        Assert.True(denied.Exit == 0, denied.Errors);
        Assert.Contains("  decided: deny", denied.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Join(workspace, "other.txt")));
        var deniedApproval = (await approvals.GetAsync(ApprovalId(denied.Output), Ct))!;
        Assert.Equal((ApprovalDecision.Deny, "the file is not needed"), (deniedApproval.Decision, deniedApproval.Comment));

        // A comment no decision may carry is left out, and said so; the decision stands.
        Assert.True(unprintable.Exit == 0, unprintable.Errors);
        Assert.Contains("The comment holds a character that is not printable (\\x07). It was left out.", unprintable.Errors, StringComparison.Ordinal);
        var bare = (await approvals.GetAsync(ApprovalId(unprintable.Output), Ct))!;
        Assert.Equal((ApprovalDecision.Deny, null), (bare.Decision, bare.Comment));
    }

    [Fact]
    public async Task RunWithApprovalsDenyDeniesWithoutAsking()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = Replies.Writing;
        var workspace = worker.Workspace("offline");

        var (exit, output, _) = await Duck.RunAsync(worker.Settings, "", "run", "please write notes.txt", "--workspace", "offline", "--approvals", "deny", "--no-reflect");

        Assert.Equal(0, exit);
        Assert.DoesNotContain("[a]llow once", output, StringComparison.Ordinal);
        Assert.Contains("  decided: deny", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Join(workspace, "notes.txt")));
    }

    [Fact]
    public async Task RunTakesAFileOfRequestsThroughItsQueueAndExitsWithOneWhenOneFails()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = chat => chat.Model == WorkerHarness.Thinker && chat.Messages.Any(m => m.Content == "two")
            ? Testing.Ollama.OllamaReply.Error(400)
            : Replies.Answering(chat);
        var file = Path.Join(worker.Folder, "offline.jsonl");
        await File.WriteAllLinesAsync(file, ["""{"message": "one", "jobId": "o-1", "reflect": false}""", "", """{"message": "two", "jobId": "o-2", "reflect": false}""", """{"message": "three", "jobId": "o-3", "reflect": false}"""], Ct);

        var (exit, output, _) = await Duck.RunAsync(worker.Settings, "", "run", "--file", file);

        Assert.Equal(1, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal(("o-1  completed  answer to one", "o-3  completed  answer to three"), (lines[0], lines[2]));
        Assert.StartsWith("o-2  failed  The thinker model failed:", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TasksAndMemoriesAreListedShownFollowedAndForgotten()
    {
        await using var worker = await WorkerHarness.StartAsync();
        worker.Ollama.Fallback = chat => chat.Model == WorkerHarness.Memory
            ? Replies.Remember("ducks like peas", "global", 0.6)
            : Replies.Answering(chat);
        var done = await worker.RunAsync("what do ducks like", jobId: "read-me", reflect: false);

        var list = await Duck.RunAsync(worker, "tasks", "list", "--json");
        var show = await Duck.RunAsync(worker, "tasks", "show", "read-me");
        var events = await Duck.RunAsync(worker, "tasks", "events", done.TaskId, "--json", "--follow");
        var memories = await Duck.RunAsync(worker, "memories", "list", "--json");
        var memoryId = JsonDocument.Parse(memories.Output).RootElement[0].GetProperty("memoryId").GetString()!;
        var memory = await Duck.RunAsync(worker, "memories", "show", memoryId);
        var forget = await Duck.RunAsync(worker, "memories", "forget", memoryId);
        var gone = await Duck.RunAsync(worker, "memories", "show", memoryId);
        var table = await Duck.RunAsync(worker, "tasks", "list");

        var listed = Assert.Single(JsonDocument.Parse(list.Output).RootElement.EnumerateArray());
        Assert.Equal((done.TaskId, "completed"), (listed.GetProperty("taskId").GetString(), listed.GetProperty("status").GetString()));
        Assert.Contains("answer:    answer to what do ducks like", show.Output, StringComparison.Ordinal);
        var lines = events.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(await worker.EventTypesAsync(done.TaskId), lines.Select(l => l.GetProperty("eventType").GetString()));
        Assert.Contains("ducks like peas", memory.Output, StringComparison.Ordinal);
        Assert.Equal((0, $"Forgot memory {memoryId}.\n"), (forget.Exit, forget.Output));
        Assert.Equal((2, $"No memory has the id '{memoryId}'.\n"), (gone.Exit, gone.Errors));
        Assert.Null(await worker.Services.GetRequiredService<IMemoryStore>().GetAsync(memoryId, Ct));
        Assert.Contains(done.TaskId, table.Output, StringComparison.Ordinal);
        Assert.Contains("│ completed", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MemoriesAreListedWithWhereTheyAreRecalledAndFilteredByScope()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var store = worker.Services.GetRequiredService<IMemoryStore>();
        MemoryRecord Memory(string id, string workspace, string scope) => new()
        {
            MemoryId = id,
            Workspace = workspace,
            Scope = scope,
            MemoryType = "fact",
            Text = "text " + id,
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        await store.AddAsync(Memory("m-here", "/w1", "workspace"), Ct);
        await store.AddAsync(Memory("m-all", "", "global"), Ct);

        var table = await Duck.RunAsync(worker, "memories", "list");
        var global = await Duck.RunAsync(worker, "memories", "list", "--scope", "global", "--json");
        var local = await Duck.RunAsync(worker, "memories", "list", "--scope", "workspace", "--json");
        var wrong = await Duck.RunAsync(worker, "memories", "list", "--scope", "everywhere");

        Assert.Contains("workspace /w1", table.Output, StringComparison.Ordinal);
        Assert.Contains("global", table.Output, StringComparison.Ordinal);
        Assert.Equal(["m-all"], JsonDocument.Parse(global.Output).RootElement.EnumerateArray().Select(m => m.GetProperty("memoryId").GetString()));
        Assert.Equal(["m-here"], JsonDocument.Parse(local.Output).RootElement.EnumerateArray().Select(m => m.GetProperty("memoryId").GetString()));
        Assert.NotEqual(0, wrong.Exit);
        Assert.Contains("everywhere", wrong.Errors, StringComparison.Ordinal);
    }

    private static string ApprovalId(string output) =>
        output.Split('\n').First(line => line.StartsWith("Approval ", StringComparison.Ordinal)).Split(' ')[1];
}
