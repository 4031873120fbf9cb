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

    private static async Task<Approval> SubmitAsync(WorkerHarness worker, string file, string jobId)
    {
        var (exit, _, errors) = await Duck.RunAsync(worker, "submit", $"please write {file}", "--workspace", "shared", "--no-reflect", "--job-id", jobId);
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
        var approval = await SubmitAsync(worker, "a.txt", "web-once");

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
    public async Task FromTheKeyboardACommentIsTypedAndDenySendsADeny()
    {
        broker.SkipIfUnavailable();
        var page = await chromium.NewPageAsync();
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Writing;
        var workspace = worker.Workspace("shared");
        await using var console = await ConsoleUnderTest.StartAsync(worker.Settings);
        var approval = await SubmitAsync(worker, "b.txt", "web-deny");

        await page.GotoAsync(console.Url.ToString());
        var item = Item(page, approval);
        await Expect(item).ToBeVisibleAsync();
        await TabToAsync(page, item.GetByLabel("Comment (optional"));
        await page.Keyboard.TypeAsync("write it to c.txt instead");
        await TabToAsync(page, item.GetByRole(AriaRole.Button, new() { Name = "Deny" }));
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Sent deny for approval {approval.ApprovalId}.");
        await Expect(item).ToHaveCountAsync(0);
        await ConsoleUnderTest.FinishedAsync(worker, "web-deny");
        Assert.Equal(ApprovalDecision.Deny, (await worker.Approvals.GetAsync(approval.ApprovalId, Ct))!.Decision);
        Assert.False(File.Exists(Path.Join(workspace, "b.txt")));
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
        var approval = await SubmitAsync(worker, "d.txt", "web-elsewhere");

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
    public async Task AnEditedActionNeverRunsAsTheOriginal()
    {
        broker.SkipIfUnavailable();
        var page = await chromium.NewPageAsync();
        await using var worker = await WorkerHarness.RunAsync(broker);
        worker.Ollama.Fallback = Replies.Writing;
        var workspace = worker.Workspace("shared");
        await using var console = await ConsoleUnderTest.StartAsync(worker.Settings);
        var approval = await SubmitAsync(worker, "e.txt", "web-edit");

        await page.GotoAsync(console.Url.ToString());
        var item = Item(page, approval);
        await item.GetByText("Edit then approve").ClickAsync();
        await item.GetByLabel("Content of e.txt").FillAsync("edited in the browser");
        await item.GetByRole(AriaRole.Button, new() { Name = "Approve the edited action" }).ClickAsync();

        // Until decisions carry an edited action, an edit is refused rather than approving what was proposed.
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("This worker cannot run an edited action yet. Nothing was sent.");
        await Expect(item).ToBeVisibleAsync();
        Assert.True((await worker.Approvals.GetAsync(approval.ApprovalId, Ct))!.IsPending);
        Assert.False(File.Exists(Path.Join(workspace, "e.txt")));
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
