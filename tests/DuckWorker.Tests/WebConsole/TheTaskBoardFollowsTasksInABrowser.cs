using DuckWorker.Runtime.Memory;
using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;
using DuckWorker.Tests.Cli;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DuckWorker.Tests.WebConsole;

/// <summary>
/// The task board, task pages, memories and rules in a real headless Chromium, against the real broker, the
/// worker and the Ollama test server: a job shows on the board, its page shows what it did and follows it live,
/// cancel ends a waiting task, a memory is found and forgotten, a rule is revoked.
/// </summary>
public sealed class TheTaskBoardFollowsTasksInABrowser(BrokerFixture broker, ChromiumFixture chromium)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    static TheTaskBoardFollowsTasksInABrowser() => SetDefaultExpectTimeout(ChromiumFixture.Timeout);

    private static async Task SubmitAsync(WorkerHarness worker, string message, string workspace, string jobId)
    {
        var (exit, _, errors) = await Duck.RunAsync(worker, "submit", message, "--workspace", workspace, "--no-reflect", "--job-id", jobId);
        Assert.True(exit == 0, errors);
    }

    [Fact]
    public async Task AJobRunByTheWorkerIsOnTheBoardAndItsPageShowsItsToolCallsMemoriesTimelineAndAnswer()
    {
        broker.SkipIfUnavailable();
        var page = await chromium.NewPageAsync();
        await using var worker = await WorkerHarness.RunAsync(broker);
        var workspace = worker.Workspace("notes", ("hello.txt", "hi"));
        const string message = "what is in my notes folder";
        await worker.Services.GetRequiredService<IMemoryStore>().AddAsync(
            new MemoryRecord
            {
                MemoryId = "m-notes",
                Workspace = workspace,
                Scope = MemoryDecision.WorkspaceScope,
                MemoryType = "fact",
                Text = "The notes folder keeps greetings.",
                Importance = 0.8,
                Embedding = Vectors.Normalize(DeterministicEmbedding.Of(message)),
                EmbeddedBy = worker.Services.GetRequiredService<Embedder>().Name,
                CreatedAt = DateTimeOffset.UtcNow,
                UpdatedAt = DateTimeOffset.UtcNow,
            },
            Ct);
        worker.Ollama
            .Script(WorkerHarness.Action, OllamaReply.Actions(new { tool = "shell_exec_safe", args = new { command = "ls -1 && cat hello.txt" }, reason = "look" }), OllamaReply.Actions())
            .Script(WorkerHarness.Thinker, OllamaReply.Text("One file, hello.txt, which says hi."));
        worker.Ollama.Fallback = Replies.Answering;
        await using var console = await ConsoleUnderTest.StartAsync(worker.Settings);
        await SubmitAsync(worker, message, "notes", "web-board");
        var task = await ConsoleUnderTest.FinishedAsync(worker, "web-board");

        await page.GotoAsync(new Uri(console.Url, "/tasks").ToString());
        var item = page.Locator($"li[data-task-id='{task.TaskId}']");
        await Expect(item).ToContainTextAsync(message);
        await Expect(item.Locator(".badge")).ToHaveTextAsync("completed");
        await Expect(item).ToContainTextAsync(workspace);
        await item.GetByRole(AriaRole.Link, new() { Name = message }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Task {task.TaskId}" })).ToBeVisibleAsync();
        await Expect(page.Locator("#task-answer")).ToHaveTextAsync("One file, hello.txt, which says hi.");
        var call = page.Locator("#task-tool-calls .tool-call");
        await Expect(call).ToContainTextAsync("shell_exec_safe");
        await Expect(call).ToContainTextAsync("ls -1 && cat hello.txt: ran, exit code 0 (low risk)");
        await Expect(call.Locator(".output")).ToHaveTextAsync("hello.txt\nhi");
        await Expect(page.Locator("#task-memories")).ToContainTextAsync("The notes folder keeps greetings.");
        var events = await worker.EventsAsync(task.TaskId);
        await Expect(page.Locator("#timeline li")).ToHaveCountAsync(events.Count);
        await Expect(page.Locator("#timeline li").Last).ToContainTextAsync(events[^1].EventType);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel task" })).ToHaveCountAsync(0);
        if (ChromiumFixture.ScreenshotFolder is { } folder)
        {
            await page.ScreenshotAsync(new() { Path = Path.Join(folder, "console-task.png"), FullPage = true });
        }
    }

    [Fact]
    public async Task ARunningTasksPageShowsItsNextEventsAndItsAnswerWithoutAReload()
    {
        broker.SkipIfUnavailable();
        var page = await chromium.NewPageAsync(phone: true);
        await using var worker = await WorkerHarness.RunAsync(broker);
        using var reached = new SemaphoreSlim(0);
        using var gate = new ManualResetEventSlim();
        worker.Ollama.Fallback = chat =>
        {
            if (chat.Model == WorkerHarness.Action)
            {
                // The action model answers only once the page is open: what follows must reach it live.
                reached.Release();
                gate.Wait(Patience);
            }

            return Replies.Answering(chat);
        };
        worker.Workspace("live");
        await using var console = await ConsoleUnderTest.StartAsync(worker.Settings);
        try
        {
            await SubmitAsync(worker, "say hello", "live", "web-live");
            Assert.True(await reached.WaitAsync(Patience, Ct));
            var task = (await worker.Tasks.FindByJobIdAsync("web-live", Ct))!;

            // On a phone-sized screen the board fits its width, and leads to the task.
            await page.GotoAsync(new Uri(console.Url, "/tasks?status=running").ToString());
            var item = page.Locator($"li[data-task-id='{task.TaskId}']");
            await Expect(item.Locator(".badge")).ToHaveTextAsync("running");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
            await item.GetByRole(AriaRole.Link, new() { Name = "say hello" }).ClickAsync();

            await Expect(page.Locator("#task-status")).ToHaveTextAsync("running");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel task" })).ToBeVisibleAsync();
            await page.EvaluateAsync("() => window.notReloaded = true");
            gate.Set();

            await Expect(page.Locator("#task-answer")).ToHaveTextAsync("answer to say hello");
            await Expect(page.Locator("#task-status")).ToHaveTextAsync("completed");
            await Expect(page.Locator("#timeline li", new() { HasText = "task_completed" })).ToHaveCountAsync(1);
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel task" })).ToHaveCountAsync(0);
            Assert.True(await page.EvaluateAsync<bool>("() => window.notReloaded === true"));
            var seqs = await page.Locator("#timeline li").EvaluateAllAsync<long[]>("items => items.map(i => Number(i.dataset.seq))");
            Assert.Equal(Enumerable.Range(1, seqs.Length).Select(i => (long)i), seqs);
        }
        finally
        {
            gate.Set();
        }
    }

    [Fact]
    public async Task CancelOnAWaitingTaskEndsItAndRetryRunsItAgain()
    {
        broker.SkipIfUnavailable();
        var page = await chromium.NewPageAsync();
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Writing;
        worker.Workspace("shared");
        await using var console = await ConsoleUnderTest.StartAsync(worker.Settings);
        await SubmitAsync(worker, "please write a.txt", "shared", "web-cancel");
        var approval = await ConsoleUnderTest.PendingApprovalAsync(worker, "web-cancel");

        await page.GotoAsync(new Uri(console.Url, $"/tasks/{approval.TaskId}").ToString());
        await Expect(page.Locator("#task-status")).ToHaveTextAsync("waiting for approval");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Decide in the inbox" })).ToHaveAttributeAsync("href", $"/#approval-{approval.ApprovalId}");
        await page.GetByLabel("Reason to cancel (optional)").FillAsync("not today");
        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel task" }).ClickAsync();

        await Expect(page.Locator("#task-status")).ToHaveTextAsync("failed");
        await Expect(page.Locator("#task-error")).ToHaveTextAsync($"cancelled by {Environment.UserName}: not today");
        var stored = (await worker.Tasks.GetAsync(approval.TaskId, Ct))!;
        Assert.Equal((AgentTaskStatus.Failed, Environment.UserName), (stored.Status, stored.CancelRequest!.By));
        Assert.False((await worker.Approvals.GetAsync(approval.ApprovalId, Ct))!.IsPending);

        await page.GetByRole(AriaRole.Button, new() { Name = "Retry as a new task" }).ClickAsync();

        await Expect(page.Locator("#task-message")).ToHaveTextAsync("please write a.txt");
        var retried = await ConsoleUnderTest.PendingApprovalAsync(worker, "web-cancel#retry-1");
        Assert.EndsWith($"/tasks/{retried.TaskId}", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMemoryIsFoundBySearchAndForgottenAndARuleIsRevoked()
    {
        broker.SkipIfUnavailable();
        var page = await chromium.NewPageAsync(phone: true);
        await using var worker = await WorkerHarness.RunAsync(broker);
        var memories = worker.Services.GetRequiredService<IMemoryStore>();
        foreach (var (id, scope, text) in new[] { ("m-pond", "global", "Ducks swim in the Pond at dawn."), ("m-shed", "workspace", "The shed is locked at night.") })
        {
            await memories.AddAsync(new MemoryRecord { MemoryId = id, Workspace = "/w", Scope = scope, MemoryType = "fact", Text = text, Importance = 0.5, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow }, Ct);
        }

        var rules = worker.Services.GetRequiredService<IApprovalRuleStore>();
        await rules.AddAsync(new ApprovalRule("/w", new DuckWorker.Runtime.Tools.NormalizedAction("fs_write", "notes.txt"), "rule-1", "tester", DateTimeOffset.UtcNow), Ct);
        await using var console = await ConsoleUnderTest.StartAsync(worker.Settings);

        await page.GotoAsync(new Uri(console.Url, "/memories").ToString());
        await page.GetByLabel("Text").FillAsync("pond");
        await page.GetByLabel("Scope").SelectOptionAsync("global");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();

        var found = page.Locator("li.memory");
        await Expect(found).ToHaveCountAsync(1);
        await Expect(found).ToContainTextAsync("Ducks swim in the Pond at dawn.");
        await found.GetByRole(AriaRole.Button, new() { Name = "Forget memory m-pond" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToHaveTextAsync("Forgot memory m-pond: it is not recalled again.");
        await Expect(page.Locator("li.memory")).ToHaveCountAsync(0);
        Assert.Null(await memories.GetAsync("m-pond", Ct));
        Assert.NotNull(await memories.GetAsync("m-shed", Ct));

        await page.GetByRole(AriaRole.Link, new() { Name = "Rules" }).ClickAsync();
        var rule = page.Locator("li.rule[data-rule-id='rule-1']");
        await Expect(rule).ToContainTextAsync("notes.txt");
        await rule.GetByRole(AriaRole.Button, new() { Name = "Revoke rule rule-1" }).ClickAsync();
        await Expect(page.Locator("#notice")).ToHaveTextAsync("Revoked rule rule-1: its action asks for approval again.");
        await Expect(page.Locator("li.rule")).ToHaveCountAsync(0);
        Assert.Empty(await rules.ListAsync(Ct));
    }
}
