using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Broker;
using DuckWorker.Tests.Cli;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DuckWorker.Tests.WebConsole;

/// <summary>
/// The approvals inbox in a real headless Chromium, against the real broker, the worker and the Ollama test
/// server: a paused job's approval appears, a click decides it, a decision made elsewhere removes it, and the
/// whole inbox works from the keyboard.
/// </summary>
public sealed class TheInboxDecidesApprovalsInABrowser(BrokerFixture broker, ChromiumFixture chromium)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    static TheInboxDecidesApprovalsInABrowser() => SetDefaultExpectTimeout(ChromiumFixture.Timeout);

    private static ILocator Item(IPage page, Approval approval) => page.Locator($"li[data-approval-id='{approval.ApprovalId}']");

    private static async Task<Approval> SubmitAsync(WorkerHarness worker, string message, string jobId)
    {
        var (exit, _, errors) = await Duck.RunAsync(worker, "submit", message, "--workspace", "shared", "--no-reflect", "--job-id", jobId);
        Assert.True(exit == 0, errors);
        return await ConsoleUnderTest.PendingApprovalAsync(worker, jobId);
    }

    [Fact]
    public async Task APausedJobsApprovalAppearsWithItsDiffAndApproveOnceCompletesTheTask()
    {
        broker.SkipIfUnavailable();
        var page = await chromium.NewPageAsync();
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Writing;
        var workspace = worker.Workspace("shared", ("a.txt", "first line\nold content\n"));
        await using var console = await ConsoleUnderTest.StartAsync(worker.Settings);

        await page.GotoAsync(new Uri(console.Url, "/login").ToString());
        await page.GetByLabel("Your name").FillAsync("web approver");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Approvals inbox" })).ToBeVisibleAsync();
        var approval = await SubmitAsync(worker, "please write a.txt", "web-once");

        // Arrives without a reload, with what it would do to the existing file.
        var item = Item(page, approval);
        await Expect(item).ToContainTextAsync("please write a.txt");
        await Expect(item.Locator(".diff .del")).ToHaveTextAsync(["-first line", "-old content"]);
        await Expect(item.Locator(".diff .add")).ToHaveTextAsync("+written by duck");
        await Expect(item.Locator(".scope")).ToHaveTextAsync(approval.ForeverScope);
        await Expect(item.Locator(".reason")).ToHaveTextAsync(approval.Reason);
        await Expect(item).ToContainTextAsync("medium risk");
        if (ChromiumFixture.ScreenshotFolder is { } folder)
        {
            await page.ScreenshotAsync(new() { Path = Path.Join(folder, "console-inbox.png"), FullPage = true });
        }

        await item.GetByRole(AriaRole.Button, new() { Name = "Approve once" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Sent allow_once for approval {approval.ApprovalId}.");
        await Expect(item).ToHaveCountAsync(0);
        Assert.Equal(AgentTaskStatus.Completed, (await ConsoleUnderTest.FinishedAsync(worker, "web-once")).Status);
        Assert.Equal("written by duck", await File.ReadAllTextAsync(Path.Join(workspace, "a.txt"), Ct));
        Assert.Equal("web approver", (await worker.Approvals.GetAsync(approval.ApprovalId, Ct))!.DecidedBy);
    }

    [Fact]
    public async Task FromTheKeyboardADenysCommentReachesTheThinker()
    {
        broker.SkipIfUnavailable();
        var page = await chromium.NewPageAsync();
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Writing;
        var workspace = worker.Workspace("shared");
        await using var console = await ConsoleUnderTest.StartAsync(worker.Settings);
        var approval = await SubmitAsync(worker, "please write b.txt", "web-deny");

        await page.GotoAsync(console.Url.ToString());
        var item = Item(page, approval);
        await Expect(item).ToBeVisibleAsync();
        await TabToAsync(page, item.GetByLabel("Comment (optional"));
        await page.Keyboard.TypeAsync("write it to c.txt instead");
        await TabToAsync(page, item.GetByRole(AriaRole.Button, new() { Name = "Deny" }));
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Sent deny for approval {approval.ApprovalId}.");
        await Expect(item).ToHaveCountAsync(0);
        await ConsoleUnderTest.FinishedAsync(worker, "web-deny");
        var decided = (await worker.Approvals.GetAsync(approval.ApprovalId, Ct))!;
        Assert.Equal((ApprovalDecision.Deny, "write it to c.txt instead"), (decided.Decision!.Value, decided.Comment));
        Assert.False(File.Exists(Path.Join(workspace, "b.txt")));
        var thinker = worker.Ollama.Chats.Last(c => c.Model == WorkerHarness.Thinker && c.Messages.Any(m => m.Content.Contains("please write b.txt", StringComparison.Ordinal)));
        Assert.Contains(thinker.Messages, m => m.Content.Contains("denied: write it to c.txt instead", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnAPhoneADecisionMadeElsewhereRemovesTheItemWithoutAReload()
    {
        broker.SkipIfUnavailable();
        var page = await chromium.NewPageAsync(phone: true);
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Writing;
        worker.Workspace("shared");
        await using var console = await ConsoleUnderTest.StartAsync(worker.Settings);
        var approval = await SubmitAsync(worker, "please write d.txt", "web-elsewhere");

        await page.GotoAsync(console.Url.ToString());
        await Expect(Item(page, approval)).ToBeVisibleAsync();
        await Expect(page.Locator("#empty")).ToBeHiddenAsync();
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "The inbox scrolls sideways on a phone-sized screen.");
        var (exit, _, errors) = await Duck.RunAsync(worker, "approve", approval.ApprovalId, "--decided-by", "terminal");

        Assert.True(exit == 0, errors);
        await Expect(Item(page, approval)).ToHaveCountAsync(0);
        await Expect(page.GetByText("Nothing waits for approval.")).ToBeVisibleAsync();
        Assert.Equal(AgentTaskStatus.Completed, (await ConsoleUnderTest.FinishedAsync(worker, "web-elsewhere")).Status);
    }

    [Fact]
    public async Task EditThenApproveRunsTheEditedCommand()
    {
        broker.SkipIfUnavailable();
        var page = await chromium.NewPageAsync();
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Running;
        var workspace = worker.Workspace("shared");
        await using var console = await ConsoleUnderTest.StartAsync(worker.Settings);
        var approval = await SubmitAsync(worker, "please run touch proposed.txt", "web-edit");

        await page.GotoAsync(console.Url.ToString());
        var item = Item(page, approval);
        await ApproveEditedAsync(item, "touch edited.txt");

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Sent allow_once of the edited action for approval {approval.ApprovalId}.");
        await Expect(item).ToHaveCountAsync(0);
        Assert.Equal(AgentTaskStatus.Completed, (await ConsoleUnderTest.FinishedAsync(worker, "web-edit")).Status);
        Assert.True(File.Exists(Path.Join(workspace, "edited.txt")));
        Assert.False(File.Exists(Path.Join(workspace, "proposed.txt")));
    }

    [Fact]
    public async Task AnEditToABlockedCommandIsRefusedInThePage()
    {
        broker.SkipIfUnavailable();
        var page = await chromium.NewPageAsync();
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Running;
        var workspace = worker.Workspace("shared");
        await using var console = await ConsoleUnderTest.StartAsync(worker.Settings);
        var approval = await SubmitAsync(worker, "please run touch proposed.txt", "web-blocked-edit");

        await page.GotoAsync(console.Url.ToString());
        var item = Item(page, approval);
        await ApproveEditedAsync(item, "rm -rf /");

        // Judged as the worker judges it: an edit never turns a blocked command into an allowed one.
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("is blocked by the policy");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Nothing was sent.");
        await Expect(item).ToBeVisibleAsync();
        Assert.True((await worker.Approvals.GetAsync(approval.ApprovalId, Ct))!.IsPending);
        Assert.False(File.Exists(Path.Join(workspace, "proposed.txt")));
    }

    [Fact]
    public async Task ADenialCarryingAnEditIsRefusedBeforeItIsSent()
    {
        broker.SkipIfUnavailable();
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Running;
        worker.Workspace("shared");
        await using var console = await ConsoleUnderTest.StartAsync(worker.Settings);
        var approval = await SubmitAsync(worker, "please run touch proposed.txt", "web-deny-edit");
        using var http = new HttpClient { BaseAddress = console.Url };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/approvals/{approval.ApprovalId}/decision")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["decision"] = "deny", ["edited"] = "true", ["command"] = "touch other.txt" }),
        };
        request.Headers.Add("Origin", console.Url.GetLeftPart(UriPartial.Authority));

        using var response = await http.SendAsync(request, Ct);

        Assert.Contains("A denial carries no edit", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.True((await worker.Approvals.GetAsync(approval.ApprovalId, Ct))!.IsPending);
    }

    /// <summary>Opens the item's edit form, replaces the proposed command and approves what was typed.</summary>
    private static async Task ApproveEditedAsync(ILocator item, string command)
    {
        await item.GetByText("Edit then approve").ClickAsync();
        await item.GetByRole(AriaRole.Textbox, new() { Name = "Command", Exact = true }).FillAsync(command);
        await item.GetByRole(AriaRole.Button, new() { Name = "Approve the edited action" }).ClickAsync();
    }

    /// <summary>Presses Tab from the top of the page until <paramref name="target"/> has the focus: it is reachable by keyboard.</summary>
    private static async Task TabToAsync(IPage page, ILocator target)
    {
        for (var presses = 0; presses < 60; presses++)
        {
            if (await target.EvaluateAsync<bool>("element => element === document.activeElement"))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached {target}.");
    }
}
