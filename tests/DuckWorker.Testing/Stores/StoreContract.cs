using System.Text.Json;
using System.Text.Json.Nodes;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;
using Xunit;

namespace DuckWorker.Testing.Stores;

/// <summary>
/// What every store adapter must do, as one suite: each adapter's test class derives from it with its provider.
/// </summary>
public abstract class StoreContract<TProvider>(TProvider provider) where TProvider : IStoreProvider
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 30, 15, 123, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<StoreSet> StoresAsync()
    {
        if (provider.UnavailableReason is { } reason)
        {
            Assert.Skip(reason);
        }

        return await provider.CreateAsync(Ct);
    }

    private static AgentTask Task(string taskId, string jobId) => new()
    {
        TaskId = taskId,
        JobId = jobId,
        Message = "summarize «notes» 🦆",
        Workspace = "/work/spaces/notes",
        Debug = true,
        Status = AgentTaskStatus.Running,
        CreatedAt = Now,
        UpdatedAt = Now,
        Context = [new(ConversationMessage.System, "you are duck"), new(ConversationMessage.User, "summarize")],
        Reasoning = ReasoningMode.Off,
        Reflect = false,
    };

    private static JsonElement Payload(object value) => JsonSerializer.SerializeToElement(value);

    [Fact]
    public async Task ACreatedTaskReadsBackWithEveryField()
    {
        var stores = await StoresAsync();
        var task = Task("t1", "j1");

        var created = await stores.Tasks.CreateAsync(task, Ct);
        var read = await stores.Tasks.GetAsync("t1", Ct);
        var byJob = await stores.Tasks.FindByJobIdAsync("j1", Ct);

        foreach (var copy in new[] { created, read!, byJob! })
        {
            Assert.Equal(task with { Context = copy.Context }, copy);
            Assert.Equal(task.Context, copy.Context);
        }

        Assert.Null(await stores.Tasks.GetAsync("t2", Ct));
        Assert.Null(await stores.Tasks.FindByJobIdAsync("j2", Ct));
    }

    [Fact]
    public async Task TasksAreListedNewestFirstAllOrByStatus()
    {
        var stores = await StoresAsync();
        for (var i = 1; i <= 4; i++)
        {
            await stores.Tasks.CreateAsync(Task($"t{i}", $"j{i}") with { CreatedAt = Now.AddMinutes(i) }, Ct);
        }

        var second = (await stores.Tasks.GetAsync("t2", Ct))!;
        await stores.Tasks.TryTransitionAsync(second with { Status = AgentTaskStatus.Completed }, AgentTaskStatus.Running, Ct);

        Assert.Equal(["t4", "t3", "t2", "t1"], (await stores.Tasks.ListAsync(null, 10, Ct)).Select(t => t.TaskId));
        Assert.Equal(["t4", "t3"], (await stores.Tasks.ListAsync(null, 2, Ct)).Select(t => t.TaskId));
        Assert.Equal(["t2"], (await stores.Tasks.ListAsync(AgentTaskStatus.Completed, 10, Ct)).Select(t => t.TaskId));
        Assert.Empty(await stores.Tasks.ListAsync(AgentTaskStatus.Failed, 10, Ct));
        Assert.Empty(await stores.Tasks.ListAsync(null, 0, Ct));
    }

    [Fact]
    public async Task TasksAreFilteredByStatusWorkspaceAndCreationTime()
    {
        var stores = await StoresAsync();
        for (var i = 1; i <= 4; i++)
        {
            await stores.Tasks.CreateAsync(Task($"t{i}", $"j{i}") with { CreatedAt = Now.AddHours(i), Workspace = i % 2 == 0 ? "/work/even" : "/work/odd" }, Ct);
        }

        await stores.Tasks.CreateAsync(Task("t5", "j5") with { CreatedAt = Now.AddHours(5), Workspace = null }, Ct);
        var third = (await stores.Tasks.GetAsync("t3", Ct))!;
        await stores.Tasks.TryTransitionAsync(third with { Status = AgentTaskStatus.Failed }, AgentTaskStatus.Running, Ct);

        async Task<IEnumerable<string>> ListedAsync(TaskFilter filter, int limit = 10) => (await stores.Tasks.ListAsync(filter, limit, Ct)).Select(t => t.TaskId);

        Assert.Equal(["t5", "t4", "t3", "t2", "t1"], await ListedAsync(new TaskFilter()));
        Assert.Equal(["t4", "t2"], await ListedAsync(new TaskFilter(Workspace: "/work/even")));
        Assert.Equal(["t1"], await ListedAsync(new TaskFilter(AgentTaskStatus.Running, "/work/odd")));
        Assert.Equal(["t3"], await ListedAsync(new TaskFilter(AgentTaskStatus.Failed)));
        // From is inclusive and before exclusive, whatever the offset the times are given in.
        Assert.Equal(["t3", "t2"], await ListedAsync(new TaskFilter(CreatedFrom: Now.AddHours(2), CreatedBefore: Now.AddHours(4))));
        Assert.Equal(["t5", "t4"], await ListedAsync(new TaskFilter(CreatedFrom: Now.AddHours(4).ToOffset(TimeSpan.FromHours(2)))));
        Assert.Equal(["t2"], await ListedAsync(new TaskFilter(Workspace: "/work/even", CreatedBefore: Now.AddHours(4).AddTicks(-1))));
        Assert.Equal(["t5"], await ListedAsync(new TaskFilter(CreatedFrom: Now.AddHours(2)), limit: 1));
        Assert.Empty(await ListedAsync(new TaskFilter(Workspace: "/work/none")));
    }

    [Fact]
    public async Task AListingLimitOfZeroListsNothingAndANegativeOneEverything()
    {
        var stores = await StoresAsync();
        for (var i = 0; i < 3; i++)
        {
            await stores.Tasks.CreateAsync(Task($"t{i}", $"j{i}") with { CreatedAt = Now.AddMinutes(i) }, Ct);
            await stores.Memories.AddAsync(Remembered($"m{i}", "/w", "workspace", null), Ct);
            await stores.Approvals.CreateAsync(PendingApproval($"a{i}", $"t{i}", i), Ct);
        }

        Assert.Empty(await stores.Tasks.ListAsync(new TaskFilter(), 0, Ct));
        Assert.Equal(3, (await stores.Tasks.ListAsync(new TaskFilter(), -1, Ct)).Count);
        Assert.Empty(await stores.Memories.ListAsync("/w", null, 0, Ct));
        Assert.Equal(3, (await stores.Memories.ListAsync("/w", null, -1, Ct)).Count);
        Assert.Empty(await stores.Approvals.ListPendingAsync(0, Ct));
        Assert.Equal(3, (await stores.Approvals.ListPendingAsync(-1, Ct)).Count);
        Assert.Empty(await stores.Memories.SearchAsync("/w", ModelA, new float[] { 1, 0, 0 }, -1, 0, Ct));
    }

    [Fact]
    public async Task OnlyOneTaskExistsPerJobHoweverManyCreatorsRace()
    {
        var stores = await StoresAsync();

        var created = await System.Threading.Tasks.Task.WhenAll(
            Enumerable.Range(0, 8).Select(i => System.Threading.Tasks.Task.Run(() => stores.Tasks.CreateAsync(Task($"t{i}", "same-job"), Ct), Ct)));

        var winner = Assert.Single(created.Select(t => t.TaskId).Distinct());
        Assert.Equal(winner, (await stores.Tasks.FindByJobIdAsync("same-job", Ct))!.TaskId);
        Assert.Equal(7, Enumerable.Range(0, 8).Count(i => $"t{i}" != winner));
        foreach (var loser in Enumerable.Range(0, 8).Select(i => $"t{i}").Where(id => id != winner))
        {
            Assert.Null(await stores.Tasks.GetAsync(loser, Ct));
        }
    }

    [Fact]
    public async Task ATaskMovesOnlyFromTheStatusTheWriterExpects()
    {
        var stores = await StoresAsync();
        var task = await stores.Tasks.CreateAsync(Task("t1", "j1"), Ct);
        var completed = task with { Status = AgentTaskStatus.Completed, FinalResponse = "done", ReasoningContent = "because", UpdatedAt = Now.AddMinutes(1) };

        Assert.True(await stores.Tasks.TryTransitionAsync(completed, AgentTaskStatus.Running, Ct));
        Assert.False(await stores.Tasks.TryTransitionAsync(task with { Status = AgentTaskStatus.Running }, AgentTaskStatus.WaitingForApproval, Ct));
        Assert.False(await stores.Tasks.TryTransitionAsync(task with { Status = AgentTaskStatus.Failed, Error = "late" }, AgentTaskStatus.Running, Ct));
        Assert.False(await stores.Tasks.TryTransitionAsync(task with { TaskId = "unknown", Status = AgentTaskStatus.Failed }, AgentTaskStatus.Running, Ct));

        var stored = (await stores.Tasks.GetAsync("t1", Ct))!;
        Assert.Equal((AgentTaskStatus.Completed, "done", "because", (string?)null, Now.AddMinutes(1)), (stored.Status, stored.FinalResponse, stored.ReasoningContent, stored.Error, stored.UpdatedAt));
    }

    [Fact]
    public async Task OfRacingTransitionsExactlyOneWins()
    {
        var stores = await StoresAsync();
        var task = await stores.Tasks.CreateAsync(Task("t1", "j1"), Ct);

        var outcomes = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 8).Select(i => System.Threading.Tasks.Task.Run(
            () => stores.Tasks.TryTransitionAsync(task with { Status = AgentTaskStatus.Failed, Error = $"writer {i}" }, AgentTaskStatus.Running, Ct), Ct)));

        Assert.Single(outcomes, won => won);
        var winner = Array.IndexOf(outcomes, true);
        Assert.Equal($"writer {winner}", (await stores.Tasks.GetAsync("t1", Ct))!.Error);
    }

    [Fact]
    public async Task ALeaseIsHeldByOneRunUntilItExpiresOrIsReleased()
    {
        var stores = await StoresAsync();
        await stores.Tasks.CreateAsync(Task("t1", "j1") with { ReplyTo = "amq.gen-reply" }, Ct);

        var first = await stores.Tasks.TryAcquireLeaseAsync("t1", "run-a", Now.AddMinutes(2), Now, Ct);
        var contested = await stores.Tasks.TryAcquireLeaseAsync("t1", "run-b", Now.AddMinutes(3), Now.AddMinutes(1), Ct);
        var renewed = await stores.Tasks.RenewLeaseAsync("t1", "run-a", Now.AddMinutes(4), Ct);
        var stolenRenewal = await stores.Tasks.RenewLeaseAsync("t1", "run-b", Now.AddMinutes(9), Ct);
        var afterExpiry = await stores.Tasks.TryAcquireLeaseAsync("t1", "run-b", Now.AddMinutes(6), Now.AddMinutes(5), Ct);

        Assert.Equal(("run-a", Now.AddMinutes(2), 1, "amq.gen-reply"), (first!.LeaseOwner, first.LeaseExpiresAt, first.Attempts, first.ReplyTo));
        Assert.Null(contested);
        Assert.True(renewed);
        Assert.False(stolenRenewal);
        Assert.Equal(("run-b", 2), (afterExpiry!.LeaseOwner, afterExpiry.Attempts));
        Assert.False(await stores.Tasks.RenewLeaseAsync("t1", "run-a", Now.AddMinutes(10), Ct));

        await stores.Tasks.ReleaseLeaseAsync("t1", "run-a", Now.AddMinutes(5), Ct);
        Assert.Null(await stores.Tasks.TryAcquireLeaseAsync("t1", "run-c", Now.AddMinutes(9), Now.AddMinutes(5.5), Ct));
        await stores.Tasks.ReleaseLeaseAsync("t1", "run-b", Now.AddMinutes(5.5), Ct);
        Assert.Equal("run-c", (await stores.Tasks.TryAcquireLeaseAsync("t1", "run-c", Now.AddMinutes(9), Now.AddMinutes(6), Ct))!.LeaseOwner);
        Assert.Null(await stores.Tasks.TryAcquireLeaseAsync("unknown", "run-a", Now, Now, Ct));
    }

    [Fact]
    public async Task OfRunsRacingForALeaseExactlyOneGetsIt()
    {
        var stores = await StoresAsync();
        await stores.Tasks.CreateAsync(Task("t1", "j1"), Ct);

        var leases = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 8).Select(i => System.Threading.Tasks.Task.Run(
            () => stores.Tasks.TryAcquireLeaseAsync("t1", $"run-{i}", Now.AddMinutes(1), Now, Ct), Ct)));

        var winner = Assert.Single(leases, l => l is not null)!;
        Assert.Equal(1, winner.Attempts);
        Assert.Equal(winner.LeaseOwner, (await stores.Tasks.GetAsync("t1", Ct))!.LeaseOwner);
    }

    [Fact]
    public async Task ExpiredLeasesAreListedOnlyForRunningTasks()
    {
        var stores = await StoresAsync();
        foreach (var id in new[] { "expired", "live", "done", "never" })
        {
            await stores.Tasks.CreateAsync(Task(id, "job-" + id), Ct);
        }

        await stores.Tasks.TryAcquireLeaseAsync("expired", "a", Now.AddMinutes(1), Now, Ct);
        await stores.Tasks.TryAcquireLeaseAsync("live", "b", Now.AddMinutes(10), Now, Ct);
        var done = await stores.Tasks.TryAcquireLeaseAsync("done", "c", Now.AddMinutes(1), Now, Ct);
        await stores.Tasks.TryTransitionAsync(done! with { Status = AgentTaskStatus.Completed }, AgentTaskStatus.Running, Ct);

        var expired = await stores.Tasks.ListExpiredLeasesAsync(Now.AddMinutes(5), 10, Ct);

        Assert.Equal(["expired"], expired.Select(t => t.TaskId));
    }

    [Fact]
    public async Task ATaskCreatedHoldingALeaseIsHeldByItsRunUntilItExpires()
    {
        var stores = await StoresAsync();

        var created = await stores.Tasks.CreateAsync(Task("t1", "j1") with { LeaseOwner = "a", LeaseExpiresAt = Now.AddMinutes(2), Attempts = 1 }, Ct);

        Assert.Equal(("a", Now.AddMinutes(2), 1), (created.LeaseOwner, created.LeaseExpiresAt, created.Attempts));
        Assert.Null(await stores.Tasks.TryAcquireLeaseAsync("t1", "b", Now.AddMinutes(3), Now.AddMinutes(1), Ct));
        Assert.True(await stores.Tasks.RenewLeaseAsync("t1", "a", Now.AddMinutes(4), Ct));
        Assert.Empty(await stores.Tasks.ListExpiredLeasesAsync(Now.AddMinutes(3), 10, Ct));
        Assert.Equal(["t1"], (await stores.Tasks.ListExpiredLeasesAsync(Now.AddMinutes(5), 10, Ct)).Select(t => t.TaskId));
        var taken = await stores.Tasks.TryAcquireLeaseAsync("t1", "b", Now.AddMinutes(7), Now.AddMinutes(5), Ct);
        Assert.Equal(("b", 2), (taken!.LeaseOwner, taken.Attempts));
        Assert.False(await stores.Tasks.RenewLeaseAsync("t1", "a", Now.AddMinutes(8), Ct));
    }

    [Fact]
    public async Task ATransitionWritesTheAttemptsTheWriterGives()
    {
        var stores = await StoresAsync();
        await stores.Tasks.CreateAsync(Task("t1", "j1"), Ct);
        await stores.Tasks.TryAcquireLeaseAsync("t1", "a", Now.AddMinutes(1), Now, Ct);
        var leased = (await stores.Tasks.TryAcquireLeaseAsync("t1", "b", Now.AddMinutes(3), Now.AddMinutes(2), Ct))!;

        Assert.True(await stores.Tasks.TryTransitionAsync(leased with { Status = AgentTaskStatus.WaitingForApproval, Attempts = 0 }, AgentTaskStatus.Running, Ct));

        Assert.Equal((2, 0), (leased.Attempts, (await stores.Tasks.GetAsync("t1", Ct))!.Attempts));
        Assert.Equal(1, (await stores.Tasks.TryAcquireLeaseAsync("t1", "c", Now.AddMinutes(5), Now.AddMinutes(4), Ct))!.Attempts);
    }

    [Fact]
    public async Task WaitingTasksAreListedOnceEveryApprovalOfTheirsIsDecidedAndNoRunHoldsThem()
    {
        var stores = await StoresAsync();
        Approval Approval(string id, string task) => new()
        {
            ApprovalId = id,
            TaskId = task,
            Workspace = "/w",
            Action = new ToolAction("fs_write", [], null),
            NormalizedAction = new NormalizedAction("fs_write", id),
            CreatedAt = Now,
        };
        var cases = new[] { "decided", "pending", "older-decided", "held", "running", "no-approval" };
        foreach (var (id, minutes) in cases.Select((id, i) => (id, i)))
        {
            var task = await stores.Tasks.CreateAsync(Task(id, "job-" + id) with { UpdatedAt = Now.AddMinutes(10 - minutes) }, Ct);
            if (id != "running")
            {
                await stores.Tasks.TryTransitionAsync(task with { Status = AgentTaskStatus.WaitingForApproval }, AgentTaskStatus.Running, Ct);
            }

            if (id != "no-approval")
            {
                await stores.Approvals.CreateAsync(Approval(id + "-1", id), Ct);
                await stores.Approvals.TryDecideAsync(id + "-1", ApprovalDecision.AllowOnce, "tester", Now, null, null, Ct);
            }
        }

        await stores.Approvals.CreateAsync(Approval("pending-2", "pending"), Ct);
        await stores.Approvals.CreateAsync(Approval("older-decided-2", "older-decided"), Ct);
        await stores.Approvals.TryDecideAsync("older-decided-2", ApprovalDecision.Deny, "tester", Now, null, null, Ct);
        await stores.Tasks.TryAcquireLeaseAsync("held", "dead-run", Now.AddMinutes(10), Now, Ct);
        await stores.Tasks.TryAcquireLeaseAsync("decided", "done-run", Now.AddMinutes(1), Now, Ct);

        var listed = await stores.Tasks.ListWaitingOnDecidedApprovalAsync(Now.AddMinutes(5), 10, Ct);
        var later = await stores.Tasks.ListWaitingOnDecidedApprovalAsync(Now.AddMinutes(11), 1, Ct);

        Assert.Equal(["older-decided", "decided"], listed.Select(t => t.TaskId));
        Assert.Equal(("job-decided", "done-run"), (listed[1].JobId, listed[1].LeaseOwner));
        Assert.Equal(["held"], later.Select(t => t.TaskId));
        Assert.Empty(await stores.Tasks.ListWaitingOnDecidedApprovalAsync(Now.AddMinutes(11), 0, Ct));
    }

    [Fact]
    public async Task ThePendingApprovalOfATaskIsItsNewestUndecidedOne()
    {
        var stores = await StoresAsync();
        await stores.Approvals.CreateAsync(PendingApproval("a1", "t1", 1), Ct);
        await stores.Approvals.CreateAsync(PendingApproval("a2", "t1", 2), Ct);
        await stores.Approvals.CreateAsync(PendingApproval("b1", "t2", 3), Ct);

        Assert.Equal("a2", (await stores.Approvals.FindPendingAsync("t1", Ct))!.ApprovalId);
        await stores.Approvals.TryDecideAsync("a2", ApprovalDecision.Deny, "x", Now, null, null, Ct);
        Assert.Equal("a1", (await stores.Approvals.FindPendingAsync("t1", Ct))!.ApprovalId);
        await stores.Approvals.TryDecideAsync("a1", ApprovalDecision.Deny, "x", Now, null, null, Ct);
        Assert.Null(await stores.Approvals.FindPendingAsync("t1", Ct));
        Assert.Equal("b1", (await stores.Approvals.FindPendingAsync("t2", Ct))!.ApprovalId);
    }

    [Fact]
    public async Task ACancelRequestIsKeptOnceAndOnlyForUnfinishedTasks()
    {
        var stores = await StoresAsync();
        var first = new CancelRequest("alice", "not needed", Now.AddMinutes(1));
        await stores.Tasks.CreateAsync(Task("t1", "j1"), Ct);
        await stores.Tasks.CreateAsync(Task("t2", "j2") with { Status = AgentTaskStatus.WaitingForApproval }, Ct);
        await stores.Tasks.CreateAsync(Task("t3", "j3") with { Status = AgentTaskStatus.Completed }, Ct);

        var asked = await stores.Tasks.TryRequestCancelAsync("t1", first, Ct);
        var again = await stores.Tasks.TryRequestCancelAsync("t1", new CancelRequest("bob", null, Now.AddMinutes(2)), Ct);
        var waiting = await stores.Tasks.TryRequestCancelAsync("t2", new CancelRequest("bob", null, Now.AddMinutes(2)), Ct);

        Assert.Equal(first, asked!.CancelRequest);
        Assert.Equal(first, again!.CancelRequest);
        Assert.Equal((AgentTaskStatus.WaitingForApproval, new CancelRequest("bob", null, Now.AddMinutes(2))), (waiting!.Status, waiting.CancelRequest));
        Assert.Null(await stores.Tasks.TryRequestCancelAsync("t3", first, Ct));
        Assert.Null((await stores.Tasks.GetAsync("t3", Ct))!.CancelRequest);
        Assert.Null(await stores.Tasks.TryRequestCancelAsync("unknown", first, Ct));

        // A run that moves the task on, from the copy it read before the request, keeps the request.
        Assert.True(await stores.Tasks.TryTransitionAsync(Task("t1", "j1") with { Status = AgentTaskStatus.Failed, Error = "cancelled" }, AgentTaskStatus.Running, Ct));
        Assert.Equal(first, (await stores.Tasks.GetAsync("t1", Ct))!.CancelRequest);
        Assert.Equal(first, await stores.Tasks.GetCancelRequestAsync("t1", Ct));
        Assert.Null(await stores.Tasks.TryRequestCancelAsync("t1", first, Ct));
    }

    [Fact]
    public async Task TheCancelRequestAloneIsTheOneTheTaskHolds()
    {
        var stores = await StoresAsync();
        var request = new CancelRequest("alice", null, Now.AddMinutes(1));
        await stores.Tasks.CreateAsync(Task("t1", "j1"), Ct);
        await stores.Tasks.CreateAsync(Task("t2", "j2"), Ct);

        Assert.Null(await stores.Tasks.GetCancelRequestAsync("t1", Ct));
        await stores.Tasks.TryRequestCancelAsync("t1", request, Ct);

        Assert.Equal(request, await stores.Tasks.GetCancelRequestAsync("t1", Ct));
        Assert.Equal((await stores.Tasks.GetAsync("t1", Ct))!.CancelRequest, await stores.Tasks.GetCancelRequestAsync("t1", Ct));
        Assert.Null(await stores.Tasks.GetCancelRequestAsync("t2", Ct));
        Assert.Null(await stores.Tasks.GetCancelRequestAsync("unknown", Ct));
    }

    [Fact]
    public async Task ATaskCreatedWithACancelRequestReadsItBack()
    {
        var stores = await StoresAsync();
        var task = Task("t1", "j1") with { Status = AgentTaskStatus.Failed, CancelRequest = new CancelRequest("alice", null, Now) };

        await stores.Tasks.CreateAsync(task, Ct);

        Assert.Equal(task.CancelRequest, (await stores.Tasks.FindByJobIdAsync("j1", Ct))!.CancelRequest);
    }

    [Fact]
    public async Task AClosedApprovalIsNeitherPendingNorDecidable()
    {
        var stores = await StoresAsync();
        Approval Approval(string id) => new()
        {
            ApprovalId = id,
            TaskId = "t1",
            Workspace = "/w",
            Action = new ToolAction("fs_write", [], null),
            NormalizedAction = new NormalizedAction("fs_write", id),
            CreatedAt = Now,
        };
        await stores.Approvals.CreateAsync(Approval("a1"), Ct);
        await stores.Approvals.CreateAsync(Approval("a2"), Ct);
        await stores.Approvals.TryDecideAsync("a2", ApprovalDecision.AllowOnce, "x", Now, null, null, Ct);

        var closed = await stores.Approvals.TryCloseAsync("a1", "expired", Now.AddMinutes(1), Ct);

        Assert.Equal(("expired", Now.AddMinutes(1), (ApprovalDecision?)null), (closed!.ClosedReason, closed.ClosedAt, closed.Decision));
        Assert.False(closed.IsPending);
        Assert.Equal(closed with { Action = closed.Action }, (await stores.Approvals.GetAsync("a1", Ct))! with { Action = closed.Action });
        Assert.Null(await stores.Approvals.TryCloseAsync("a1", "again", Now, Ct));
        Assert.Null(await stores.Approvals.TryDecideAsync("a1", ApprovalDecision.AllowOnce, "late", Now, null, null, Ct));
        Assert.Null(await stores.Approvals.FindPendingAsync("t1", Ct));
        Assert.Null(await stores.Approvals.TryCloseAsync("a2", "decided first", Now, Ct));
        Assert.Null(await stores.Approvals.TryCloseAsync("unknown", "none", Now, Ct));
    }

    [Fact]
    public async Task OfACloseAndADecisionRacingExactlyOneWins()
    {
        var stores = await StoresAsync();
        await stores.Approvals.CreateAsync(
            new Approval { ApprovalId = "a1", TaskId = "t1", Workspace = "/w", Action = new ToolAction("fs_write", [], null), NormalizedAction = new NormalizedAction("fs_write", "k"), CreatedAt = Now },
            Ct);

        var outcomes = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 8).Select(i => System.Threading.Tasks.Task.Run(
            () => i % 2 == 0
                ? stores.Approvals.TryCloseAsync("a1", $"closer {i}", Now, Ct)
                : stores.Approvals.TryDecideAsync("a1", ApprovalDecision.Deny, $"person {i}", Now, null, null, Ct),
            Ct)));

        var winner = Assert.Single(outcomes, o => o is not null)!;
        Assert.True(winner.Decision is null ^ winner.ClosedReason is null);
    }

    [Fact]
    public async Task PendingApprovalsOfEveryTaskAreListedOldestFirst()
    {
        var stores = await StoresAsync();
        await stores.Approvals.CreateAsync(PendingApproval("newest", "t1", 9), Ct);
        await stores.Approvals.CreateAsync(PendingApproval("oldest", "t2", 1), Ct);
        await stores.Approvals.CreateAsync(PendingApproval("decided", "t3", 0), Ct);
        await stores.Approvals.CreateAsync(PendingApproval("middle", "t1", 5), Ct);
        await stores.Approvals.CreateAsync(PendingApproval("closed", "t4", 2), Ct);
        await stores.Approvals.TryDecideAsync("decided", ApprovalDecision.AllowOnce, "x", Now, null, null, Ct);
        await stores.Approvals.TryCloseAsync("closed", "expired", Now, Ct);

        Assert.Equal(["oldest", "middle", "newest"], (await stores.Approvals.ListPendingAsync(10, Ct)).Select(a => a.ApprovalId));
        Assert.Equal(["oldest", "middle"], (await stores.Approvals.ListPendingAsync(2, Ct)).Select(a => a.ApprovalId));
        var read = Assert.Single(await stores.Approvals.ListPendingAsync(1, Ct));
        Assert.Equal(PendingApproval("oldest", "t2", 1) with { Action = read.Action }, read);
        Assert.Empty(await stores.Approvals.ListPendingAsync(0, Ct));
    }

    [Fact]
    public async Task AWaitingTaskWhoseApprovalIsClosedIsListedForTheSweeper()
    {
        var stores = await StoresAsync();
        await stores.Tasks.CreateAsync(Task("t1", "j1") with { Status = AgentTaskStatus.WaitingForApproval }, Ct);
        await stores.Approvals.CreateAsync(
            new Approval { ApprovalId = "a1", TaskId = "t1", Workspace = "/w", Action = new ToolAction("fs_write", [], null), NormalizedAction = new NormalizedAction("fs_write", "k"), CreatedAt = Now },
            Ct);
        Assert.Empty(await stores.Tasks.ListWaitingOnDecidedApprovalAsync(Now, 10, Ct));

        await stores.Approvals.TryCloseAsync("a1", "expired", Now, Ct);

        Assert.Equal(["t1"], (await stores.Tasks.ListWaitingOnDecidedApprovalAsync(Now, 10, Ct)).Select(t => t.TaskId));
    }

    [Fact]
    public async Task EventsAreNumberedFromOneAndReadInOrderAfterAGivenSeq()
    {
        var stores = await StoresAsync();

        var appended = new List<TaskEvent>();
        for (var i = 0; i < 5; i++)
        {
            appended.Add(await stores.Events.AppendAsync("t1", $"type_{i}", Payload(new { i }), Ct));
        }

        var other = await stores.Events.AppendAsync("t2", "other", Payload(new { }), Ct);

        Assert.Equal([1L, 2, 3, 4, 5], appended.Select(e => e.Seq));
        Assert.Equal(1, other.Seq);
        var all = await ReadAsync(stores, "t1", 0);
        Assert.Equal(appended.Select(e => (e.Seq, e.EventType, e.Payload.GetRawText())), all.Select(e => (e.Seq, e.EventType, e.Payload.GetRawText())));
        Assert.Equal([4L, 5], (await ReadAsync(stores, "t1", 3)).Select(e => e.Seq));
        Assert.Empty(await ReadAsync(stores, "t1", 5));
        Assert.Empty(await ReadAsync(stores, "nobody", 0));
    }

    [Fact]
    public async Task ConcurrentWritersToOneTaskGetEverySeqExactlyOnce()
    {
        const int writers = 8;
        const int perWriter = 500;
        var stores = await StoresAsync();

        var seqs = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, writers).Select(w => System.Threading.Tasks.Task.Run(async () =>
        {
            var mine = new List<long>();
            for (var i = 0; i < perWriter; i++)
            {
                mine.Add((await stores.Events.AppendAsync("busy", "tick", Payload(new { w, i }), Ct)).Seq);
            }

            return mine;
        }, Ct)));

        var expected = Enumerable.Range(1, writers * perWriter).Select(i => (long)i);
        Assert.Equal(expected, seqs.SelectMany(s => s).Order());
        Assert.All(seqs, mine => Assert.Equal(mine.Order(), mine));
        var stored = await ReadAsync(stores, "busy", 0);
        Assert.Equal(expected, stored.Select(e => e.Seq));
    }

    [Fact]
    public async Task AReaderTailingTheLogWhileWritersAppendNeverSkipsASeq()
    {
        const int writers = 6;
        const int perWriter = 100;
        var stores = await StoresAsync();
        using var done = new CancellationTokenSource();

        // A seq that became visible before a lower one would be skipped for good by a reader that goes on after
        // the highest it saw, as `duck tasks events --follow` does.
        var reader = System.Threading.Tasks.Task.Run(async () =>
        {
            var seen = new List<long>();
            var finished = false;
            while (!finished)
            {
                finished = done.IsCancellationRequested;
                var last = seen.Count == 0 ? 0 : seen[^1];
                var read = (await ReadAsync(stores, "tailed", last)).Select(e => e.Seq).ToList();
                Assert.Equal(Enumerable.Range(1, read.Count).Select(i => last + i), read);
                seen.AddRange(read);
            }

            return seen;
        }, Ct);
        await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, writers).Select(w => System.Threading.Tasks.Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                await stores.Events.AppendAsync("tailed", "tick", Payload(new { w, i }), Ct);
            }
        }, Ct)));
        await done.CancelAsync();

        Assert.Equal(Enumerable.Range(1, writers * perWriter).Select(i => (long)i), await reader);
    }

    [Fact]
    public async Task EventsAppendedTogetherFollowTheEventsBeforeThemInTheirOrder()
    {
        var stores = await StoresAsync();
        await stores.Events.AppendAsync("t1", "first", Payload(new { i = 0 }), Ct);

        var together = await stores.Events.AppendAsync("t1", [new NewEvent("second", Payload(new { i = 1 })), new NewEvent("third", Payload(new { i = 2 })), new NewEvent("fourth", Payload(new { i = 3 }))], Ct);
        var nothing = await stores.Events.AppendAsync("t1", [], Ct);
        var after = await stores.Events.AppendAsync("t1", "fifth", Payload(new { i = 4 }), Ct);

        Assert.Equal([(2L, "second"), (3, "third"), (4, "fourth")], together.Select(e => (e.Seq, e.EventType)));
        Assert.Empty(nothing);
        Assert.Equal(5, after.Seq);
        var stored = await ReadAsync(stores, "t1", 0);
        Assert.Equal(["first", "second", "third", "fourth", "fifth"], stored.Select(e => e.EventType));
        Assert.Equal([0, 1, 2, 3, 4], stored.Select(e => e.Payload.GetProperty("i").GetInt32()));
        Assert.Equal(together.Select(e => e.At), stored.Skip(1).Take(3).Select(e => e.At));
    }

    [Fact]
    public async Task EventsAppendedTogetherWithACancelledTokenAreNotStored()
    {
        var stores = await StoresAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stores.Events.AppendAsync("t1", [new NewEvent("never", Payload(new { })), new NewEvent("nor", Payload(new { }))], new CancellationToken(canceled: true)));

        Assert.Empty(await ReadAsync(stores, "t1", 0));
        Assert.Equal(1, (await stores.Events.AppendAsync("t1", "first", Payload(new { }), Ct)).Seq);
    }

    [Fact]
    public async Task AppendsCancelledAtAnyMomentLeaveNoGap()
    {
        var stores = await StoresAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stores.Events.AppendAsync("t1", "never", Payload(new { }), new CancellationToken(canceled: true)));
        var returned = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 100).Select(i => System.Threading.Tasks.Task.Run(async () =>
        {
            using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(i % 7));
            try
            {
                return (await stores.Events.AppendAsync("t1", "tick", Payload(new { i }), giveUp.Token)).Seq;
            }
            catch (Exception ex) when (ex is OperationCanceledException or StoreUnavailableException)
            {
                // A driver may close the connection it was cancelled on and say so.
                return 0;
            }
        }, Ct)));
        var after = await stores.Events.AppendAsync("t1", "after", Payload(new { }), Ct);

        // Whatever was cancelled, and when: what is stored is numbered 1..n, and every seq an append returned is stored.
        var stored = (await ReadAsync(stores, "t1", 0)).Select(e => e.Seq).ToList();
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), stored);
        Assert.Equal(stored.Count, after.Seq);
        Assert.Subset(stored.ToHashSet(), returned.Where(seq => seq > 0).ToHashSet());
        Assert.DoesNotContain("never", (await ReadAsync(stores, "t1", 0)).Select(e => e.EventType));
    }

    [Fact]
    public async Task EveryWriteIsReadBackAtOnce()
    {
        var stores = await StoresAsync();

        // A read served by a replica that has not caught up would miss what was just written.
        for (var i = 0; i < 30; i++)
        {
            var created = await stores.Tasks.CreateAsync(Task($"t{i}", $"j{i}"), Ct);
            Assert.Equal(created.TaskId, (await stores.Tasks.FindByJobIdAsync($"j{i}", Ct))?.TaskId);
            Assert.NotNull(await stores.Tasks.GetAsync($"t{i}", Ct));

            var appended = await stores.Events.AppendAsync($"t{i}", "tick", Payload(new { i }), Ct);
            Assert.Equal([appended.Seq], (await ReadAsync(stores, $"t{i}", 0)).Select(e => e.Seq));

            await stores.Memories.AddAsync(Remembered($"m{i}", "/w", "workspace", [1, 0, 0]), Ct);
            Assert.NotNull(await stores.Memories.GetAsync($"m{i}", Ct));
        }
    }

    [Fact]
    public async Task PayloadsRoundTripAsTheSameJson()
    {
        var stores = await StoresAsync();
        var sent = AwkwardJson.Payload();

        await stores.Events.AppendAsync("t1", "odd", sent, Ct);

        var read = Assert.Single(await ReadAsync(stores, "t1", 0)).Payload;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(sent.GetRawText()), JsonNode.Parse(read.GetRawText())), "the payload changed on its way through the store");
        Assert.Equal(long.MaxValue, read.GetProperty("big").GetInt64());
        Assert.Equal(12345678901234567890.123456789m, read.GetProperty("decimal").GetDecimal());
    }

    [Fact]
    public async Task AnApprovalReadsBackAndIsDecidedOnce()
    {
        var stores = await StoresAsync();
        var approval = new Approval
        {
            ApprovalId = "a1",
            TaskId = "t1",
            Workspace = "/w",
            Index = 3,
            Action = new ToolAction("fs_write", new JsonObject { ["path"] = "a.txt", ["content"] = "x" }, "write"),
            NormalizedAction = new NormalizedAction("fs_write", "a.txt"),
            Reason = "fs_write creates 'a.txt'",
            RiskLevel = "medium",
            ForeverScope = "fs_write may write a.txt",
            CreatedAt = Now,
        };
        await stores.Approvals.CreateAsync(approval, Ct);

        var read = (await stores.Approvals.GetAsync("a1", Ct))!;
        Assert.Equal(approval.Action.ToJson().ToJsonString(), read.Action.ToJson().ToJsonString());
        Assert.Equal(approval with { Action = read.Action }, read);

        var decisions = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 8).Select(i => System.Threading.Tasks.Task.Run(
            () => stores.Approvals.TryDecideAsync("a1", i % 2 == 0 ? ApprovalDecision.AllowOnce : ApprovalDecision.Deny, $"person {i}", Now.AddMinutes(i), null, null, Ct), Ct)));

        var decided = Assert.Single(decisions, d => d is not null)!;
        var stored = (await stores.Approvals.GetAsync("a1", Ct))!;
        Assert.Equal(decided with { Action = stored.Action }, stored);
        Assert.StartsWith("person ", decided.DecidedBy, StringComparison.Ordinal);
        Assert.NotNull(decided.DecidedAt);
        Assert.Null(await stores.Approvals.TryDecideAsync("a1", ApprovalDecision.AllowForever, "late", Now, null, null, Ct));
        Assert.Null(await stores.Approvals.TryDecideAsync("unknown", ApprovalDecision.AllowOnce, "someone", Now, null, null, Ct));
        Assert.Null(await stores.Approvals.GetAsync("unknown", Ct));
    }

    [Fact]
    public async Task ADecisionKeepsItsCommentAndEditedArgs()
    {
        var stores = await StoresAsync();
        var approval = new Approval
        {
            ApprovalId = "a1",
            TaskId = "t1",
            Workspace = "/w",
            Action = new ToolAction("fs_write", new JsonObject { ["path"] = "a.txt", ["content"] = "x" }, "write"),
            NormalizedAction = new NormalizedAction("fs_write", "a.txt"),
            CreatedAt = Now,
        };
        await stores.Approvals.CreateAsync(approval, Ct);
        await stores.Approvals.CreateAsync(approval with { ApprovalId = "a2" }, Ct);
        var edit = new JsonObject { ["path"] = "b.txt", ["content"] = "line 1\nline 2 🦆", ["nested"] = new JsonObject { ["$weird.key"] = new JsonArray(1, "two") } };

        var decided = await stores.Approvals.TryDecideAsync("a1", ApprovalDecision.AllowOnce, "ann", Now, "kinder words", edit, Ct);
        var denied = await stores.Approvals.TryDecideAsync("a2", ApprovalDecision.Deny, "ann", Now, "write it to out/ instead", null, Ct);

        var read = (await stores.Approvals.GetAsync("a1", Ct))!;
        Assert.Equal(("kinder words", edit.ToJsonString()), (decided!.Comment, decided.EditedArgs!.ToJsonString()));
        Assert.Equal(("kinder words", edit.ToJsonString()), (read.Comment, read.EditedArgs!.ToJsonString()));
        Assert.Equal("b.txt", read.ApprovedAction.StringArg("path"));
        Assert.Equal("a.txt", read.Action.StringArg("path"));
        var readDenied = (await stores.Approvals.GetAsync("a2", Ct))!;
        Assert.Equal(("write it to out/ instead", (JsonObject?)null), (readDenied.Comment, readDenied.EditedArgs));
    }

    [Fact]
    public async Task ARuleMatchesOnlyItsWorkspaceToolAndKey()
    {
        var stores = await StoresAsync();
        var action = new NormalizedAction("shell_exec_safe", "git commit -m x");
        var rule = new ApprovalRule("/w1", action, "a1", "alice", Now);

        await stores.Rules.AddAsync(rule, Ct);
        await stores.Rules.AddAsync(rule with { ApprovalId = "a2" }, Ct);

        Assert.True(await stores.Rules.ExistsAsync("/w1", action, Ct));
        Assert.False(await stores.Rules.ExistsAsync("/w2", action, Ct));
        Assert.False(await stores.Rules.ExistsAsync("/w1", action with { Key = "git commit -m y" }, Ct));
        Assert.False(await stores.Rules.ExistsAsync("/w1", action with { Tool = "fs_write" }, Ct));
    }

    [Fact]
    public async Task RulesAreListedOldestFirstAndRevokedByTheApprovalThatMadeThem()
    {
        var stores = await StoresAsync();
        var commit = new ApprovalRule("/w1", new NormalizedAction("shell_exec_safe", "git commit -m x"), "a2", "alice", Now.AddMinutes(2));
        var write = new ApprovalRule("/w2", new NormalizedAction("fs_write", "notes.txt"), "a1", "bob", Now.AddMinutes(1));
        await stores.Rules.AddAsync(commit, Ct);
        await stores.Rules.AddAsync(write, Ct);
        await stores.Rules.AddAsync(commit with { ApprovalId = "a3", CreatedAt = Now.AddMinutes(3) }, Ct);

        Assert.Equal([write, commit], await stores.Rules.ListAsync(Ct));
        Assert.True(await stores.Rules.RevokeAsync("a2", Ct));
        Assert.False(await stores.Rules.RevokeAsync("a2", Ct));
        Assert.False(await stores.Rules.RevokeAsync("unknown", Ct));
        Assert.Equal([write], await stores.Rules.ListAsync(Ct));
        Assert.False(await stores.Rules.ExistsAsync("/w1", commit.Action, Ct));
        Assert.True(await stores.Rules.ExistsAsync("/w2", write.Action, Ct));
    }

    [Fact]
    public async Task MemoriesAreListedNewestFirstForTheirWorkspaceWithGlobalOnes()
    {
        var stores = await StoresAsync();
        MemoryRecord Memory(string id, string workspace, string scope, int minutes) => new()
        {
            MemoryId = id,
            Workspace = workspace,
            Scope = scope,
            MemoryType = "fact",
            Text = $"memory {id} ✓",
            Importance = 0.25,
            Metadata = new JsonObject { ["source"] = id },
            TaskId = "t-" + id,
            CreatedAt = Now.AddMinutes(minutes),
        };
        await stores.Memories.AddAsync(Memory("m1", "/w1", "workspace", 1), Ct);
        await stores.Memories.AddAsync(Memory("m2", "/w2", "workspace", 2), Ct);
        await stores.Memories.AddAsync(Memory("m3", "/w2", "global", 3), Ct);
        await stores.Memories.AddAsync(Memory("m4", "/w1", "workspace", 4), Ct);

        Assert.Equal(["m4", "m3", "m1"], (await stores.Memories.ListAsync("/w1", null, 10, Ct)).Select(m => m.MemoryId));
        Assert.Equal(["m4", "m3", "m2", "m1"], (await stores.Memories.ListAsync(null, null, 10, Ct)).Select(m => m.MemoryId));
        Assert.Equal(["m4", "m3"], (await stores.Memories.ListAsync(null, null, 2, Ct)).Select(m => m.MemoryId));
        Assert.Equal(["m3"], (await stores.Memories.ListAsync(null, "global", 10, Ct)).Select(m => m.MemoryId));
        Assert.Equal(["m4", "m2", "m1"], (await stores.Memories.ListAsync(null, "workspace", 10, Ct)).Select(m => m.MemoryId));
        Assert.Equal(["m4", "m1"], (await stores.Memories.ListAsync("/w1", "workspace", 10, Ct)).Select(m => m.MemoryId));
        Assert.Equal(["m3"], (await stores.Memories.ListAsync("/w1", "global", 10, Ct)).Select(m => m.MemoryId));
        var read = (await stores.Memories.GetAsync("m1", Ct))!;
        var expected = Memory("m1", "/w1", "workspace", 1);
        Assert.Equal(expected with { Metadata = read.Metadata }, read);
        Assert.Equal("m1", read.Metadata["source"]!.GetValue<string>());
        Assert.Null(await stores.Memories.GetAsync("m9", Ct));
    }

    [Fact]
    public async Task MemoriesAreFoundByTextIgnoringCaseWithinTheirScope()
    {
        var stores = await StoresAsync();
        var texts = new[] { ("m1", "/w1", "workspace", "Ducks sleep in the SHED."), ("m2", "/w2", "global", "The shed door sticks; push (hard)."), ("m3", "/w1", "global", "Bread is bad for ducks.") };
        for (var i = 0; i < texts.Length; i++)
        {
            var (id, workspace, scope, text) = texts[i];
            await stores.Memories.AddAsync(new MemoryRecord { MemoryId = id, Workspace = workspace, Scope = scope, MemoryType = "fact", Text = text, CreatedAt = Now.AddMinutes(i), UpdatedAt = Now.AddMinutes(i) }, Ct);
        }

        async Task<IEnumerable<string>> FoundAsync(string? workspace, string? scope, string? text) =>
            (await stores.Memories.ListAsync(workspace, scope, text, 10, Ct)).Select(m => m.MemoryId);

        Assert.Equal(["m2", "m1"], await FoundAsync(null, null, "shed"));
        Assert.Equal(["m2"], await FoundAsync(null, "global", "Shed"));
        Assert.Equal(["m1"], await FoundAsync("/w1", "workspace", "shed"));
        // Taken as text, not as a pattern.
        Assert.Equal(["m2"], await FoundAsync(null, null, "(hard)."));
        Assert.Empty(await FoundAsync(null, null, "s.ed"));
        Assert.Equal(["m3", "m2", "m1"], await FoundAsync(null, null, null));
    }

    /// <summary>The embedder the vectors of the memory and lesson cases were made by, unless a case says otherwise.</summary>
    private const string ModelA = "test/model-a";

    private const string ModelB = "test/model-b";

    private static MemoryRecord Remembered(string id, string workspace, string scope, float[]? embedding, string embeddedBy = ModelA) => new()
    {
        MemoryId = id,
        Workspace = workspace,
        Scope = scope,
        MemoryType = "fact",
        Text = $"memory {id}",
        Importance = 0.5,
        CreatedAt = Now,
        UpdatedAt = Now,
        Embedding = embedding,
        EmbeddedBy = embedding is null ? null : embeddedBy,
    };

    [Fact]
    public async Task AMemoryIsUpdatedInPlaceAndForgotten()
    {
        var stores = await StoresAsync();
        var memory = Remembered("m1", "/w", "workspace", [1, 0, 0]);
        await stores.Memories.AddAsync(memory, Ct);

        Assert.True(await stores.Memories.UpdateAsync(memory with { Text = "changed", Importance = 0.9, MemoryType = "procedure", UpdatedAt = Now.AddHours(1), Embedding = [0, 1, 0], EmbeddedBy = ModelB }, Ct));
        var read = (await stores.Memories.GetAsync("m1", Ct))!;
        Assert.Equal(("changed", 0.9, "procedure", Now.AddHours(1), Now, "/w", ModelB), (read.Text, read.Importance, read.MemoryType, read.UpdatedAt, read.CreatedAt, read.Workspace, read.EmbeddedBy));
        Assert.Equal([0f, 1f, 0f], read.Embedding!);
        Assert.True(await stores.Memories.UpdateAsync(read with { Embedding = null, EmbeddedBy = null }, Ct));
        var cleared = (await stores.Memories.GetAsync("m1", Ct))!;
        Assert.Equal(((float[]?)null, (string?)null), (cleared.Embedding, cleared.EmbeddedBy));
        Assert.False(await stores.Memories.UpdateAsync(memory with { MemoryId = "nobody" }, Ct));

        Assert.True(await stores.Memories.DeleteAsync("m1", Ct));
        Assert.Null(await stores.Memories.GetAsync("m1", Ct));
        Assert.False(await stores.Memories.DeleteAsync("m1", Ct));
    }

    [Fact]
    public async Task MemoriesAreFoundByMeaningWithinTheirScopeBestFirst()
    {
        var stores = await StoresAsync();
        await stores.Memories.AddAsync(Remembered("same", "/w1", "workspace", [1, 0, 0]), Ct);
        await stores.Memories.AddAsync(Remembered("close", "/w1", "workspace", [0.8f, 0.6f, 0]), Ct);
        await stores.Memories.AddAsync(Remembered("far", "/w1", "workspace", [0, 0, 1]), Ct);
        await stores.Memories.AddAsync(Remembered("elsewhere", "/w2", "workspace", [1, 0, 0]), Ct);
        await stores.Memories.AddAsync(Remembered("global", "/w3", "global", [0.6f, 0.8f, 0]), Ct);
        await stores.Memories.AddAsync(Remembered("no-vector", "/w1", "workspace", null), Ct);
        await stores.Memories.AddAsync(Remembered("other-model", "/w1", "workspace", [1, 0, 0, 0]), Ct);

        var found = await stores.Memories.SearchAsync("/w1", ModelA, new float[] { 1, 0, 0 }, 10, 0.5, Ct);

        Assert.Equal(["same", "close", "global"], found.Select(f => f.Item.MemoryId));
        Assert.Equal([1.0, 0.8, 0.6], found.Select(f => Math.Round(f.Score, 4)));
        Assert.Equal("memory close", found[1].Item.Text);
        Assert.Equal(ModelA, found[0].Item.EmbeddedBy);
        Assert.Equal(["same"], (await stores.Memories.SearchAsync("/w1", ModelA, new float[] { 1, 0, 0 }, 1, 0.5, Ct)).Select(f => f.Item.MemoryId));
        Assert.Empty(await stores.Memories.SearchAsync("/w1", ModelA, new float[] { 1, 0, 0 }, 0, 0.5, Ct));
        Assert.Equal(["elsewhere", "global"], (await stores.Memories.SearchAsync("/w2", ModelA, new float[] { 1, 0, 0 }, 10, 0.5, Ct)).Select(f => f.Item.MemoryId));
    }

    [Fact]
    public async Task AMemorySearchComparesOnlyVectorsOfTheAskingEmbedderAndDimension()
    {
        var stores = await StoresAsync();
        await stores.Memories.AddAsync(Remembered("a", "/w", "workspace", [1, 0, 0]), Ct);
        await stores.Memories.AddAsync(Remembered("a-other-dimension", "/w", "workspace", [1, 0, 0, 0]), Ct);
        await stores.Memories.AddAsync(Remembered("b", "/w", "global", [1, 0, 0], ModelB), Ct);
        await stores.Memories.AddAsync(Remembered("unknown", "/w", "workspace", [1, 0, 0], EmbedderName.Unknown), Ct);

        // Every score counts here, so only the filter keeps the others out.
        async Task<IEnumerable<string>> FoundAsync(string embeddedBy, float[] query) =>
            (await stores.Memories.SearchAsync("/w", embeddedBy, query, 10, -1, Ct)).Select(f => f.Item.MemoryId);

        Assert.Equal(["a"], await FoundAsync(ModelA, [1, 0, 0]));
        Assert.Equal(["a"], await FoundAsync(ModelA, [0, 1, 0]));
        Assert.Equal(["a-other-dimension"], await FoundAsync(ModelA, [0, 0, 0, 1]));
        Assert.Equal(["b"], await FoundAsync(ModelB, [1, 0, 0]));
        Assert.Empty(await FoundAsync(ModelB, [1, 0]));
        Assert.Empty(await FoundAsync("test/model-c", [1, 0, 0]));
        Assert.Equal(EmbedderName.Unknown, (await stores.Memories.GetAsync("unknown", Ct))!.EmbeddedBy);
    }

    [Fact]
    public async Task MemoriesOfAnotherEmbedderAreListedAndTakeANewVectorWhileTheirTextStaysTheSame()
    {
        var stores = await StoresAsync();
        await stores.Memories.AddAsync(Remembered("m1-a", "/w", "workspace", [1, 0, 0]), Ct);
        await stores.Memories.AddAsync(Remembered("m2-b", "/w", "workspace", [1, 0], ModelB), Ct);
        await stores.Memories.AddAsync(Remembered("m3-none", "/w", "global", null), Ct);
        await stores.Memories.AddAsync(Remembered("m4-unknown", "/w", "workspace", [1, 0], EmbedderName.Unknown), Ct);

        Assert.Equal(["m2-b", "m3-none", "m4-unknown"], await stores.Memories.ListIdsNotEmbeddedByAsync(ModelA, Ct));
        Assert.Equal(["m1-a", "m2-b", "m3-none", "m4-unknown"], await stores.Memories.ListIdsNotEmbeddedByAsync(null, Ct));

        Assert.True(await stores.Memories.SetEmbeddingAsync("m2-b", "memory m2-b", [0, 1, 0], ModelA, Ct));
        Assert.True(await stores.Memories.SetEmbeddingAsync("m3-none", "memory m3-none", [0, 0, 1], ModelA, Ct));
        Assert.False(await stores.Memories.SetEmbeddingAsync("m4-unknown", "a text it no longer has", [0, 0, 1], ModelA, Ct));
        Assert.False(await stores.Memories.SetEmbeddingAsync("nobody", "memory nobody", [0, 0, 1], ModelA, Ct));

        var changed = (await stores.Memories.GetAsync("m2-b", Ct))!;
        Assert.Equal([0f, 1f, 0f], changed.Embedding!);
        Assert.Equal(Remembered("m2-b", "/w", "workspace", changed.Embedding) with { Metadata = changed.Metadata }, changed);
        Assert.Equal(EmbedderName.Unknown, (await stores.Memories.GetAsync("m4-unknown", Ct))!.EmbeddedBy);
        Assert.Equal(["m4-unknown"], await stores.Memories.ListIdsNotEmbeddedByAsync(ModelA, Ct));
        Assert.Equal(["m3-none", "m2-b"], (await stores.Memories.SearchAsync("/w", ModelA, new float[] { 0, 0.6f, 0.8f }, 10, 0.5, Ct)).Select(f => f.Item.MemoryId));
    }

    [Fact]
    public async Task LessonsOfAnotherEmbedderAreListedAndTakeANewVector()
    {
        var stores = await StoresAsync();
        ExperienceRecord Record(string id, string? lesson, float[]? embedding, string? embeddedBy) => new()
        {
            RecordId = id,
            TaskId = "t-" + id,
            Workspace = "/w",
            Summary = "did " + id,
            Outcome = "success",
            ReusableLesson = lesson,
            CreatedAt = Now,
            LessonEmbedding = embedding,
            LessonEmbeddedBy = embeddedBy,
        };
        await stores.Experiences.AddAsync(Record("r1-a", "check first", [1, 0, 0], ModelA), Ct);
        await stores.Experiences.AddAsync(Record("r2-b", "test after", [1, 0], ModelB), Ct);
        await stores.Experiences.AddAsync(Record("r3-none", "write it down", null, null), Ct);
        await stores.Experiences.AddAsync(Record("r4-no-lesson", null, null, null), Ct);

        Assert.Equal(["r2-b", "r3-none"], await stores.Experiences.ListLessonIdsNotEmbeddedByAsync(ModelA, Ct));
        Assert.Equal(["r1-a", "r2-b", "r3-none"], await stores.Experiences.ListLessonIdsNotEmbeddedByAsync(null, Ct));

        Assert.True(await stores.Experiences.SetLessonEmbeddingAsync("r2-b", [0, 1, 0], ModelA, Ct));
        Assert.False(await stores.Experiences.SetLessonEmbeddingAsync("nobody", [0, 1, 0], ModelA, Ct));

        var changed = (await stores.Experiences.GetAsync("r2-b", Ct))!;
        Assert.Equal([0f, 1f, 0f], changed.LessonEmbedding!);
        Assert.Equal(Record("r2-b", "test after", changed.LessonEmbedding, ModelA), changed);
        Assert.Equal(["r3-none"], await stores.Experiences.ListLessonIdsNotEmbeddedByAsync(ModelA, Ct));
        Assert.Equal(["r2-b"], (await stores.Experiences.SearchLessonsAsync(ModelA, new float[] { 0, 1, 0 }, 10, 0.5, Ct)).Select(f => f.Item.RecordId));
    }

    [Fact]
    public async Task LessonsAreFoundByMeaningAcrossWorkspaces()
    {
        var stores = await StoresAsync();
        ExperienceRecord Record(string id, string workspace, string? lesson, float[]? embedding, string embeddedBy = ModelA) => new()
        {
            RecordId = id,
            TaskId = "t-" + id,
            Workspace = workspace,
            Summary = "did " + id,
            Outcome = "success",
            ReusableLesson = lesson,
            CreatedAt = Now,
            LessonEmbedding = embedding,
            LessonEmbeddedBy = embedding is null ? null : embeddedBy,
        };
        await stores.Experiences.AddAsync(Record("near", "/w1", "check first", [0, 1, 0]), Ct);
        await stores.Experiences.AddAsync(Record("nearish", "/w2", "test after", [0, 0.8f, 0.6f]), Ct);
        await stores.Experiences.AddAsync(Record("far", "/w1", "unrelated", [1, 0, 0]), Ct);
        await stores.Experiences.AddAsync(Record("no-lesson", "/w1", null, null), Ct);
        await stores.Experiences.AddAsync(Record("other-model", "/w1", "same words", [0, 1, 0], ModelB), Ct);
        await stores.Experiences.AddAsync(Record("other-dimension", "/w1", "more words", [0, 1, 0, 0]), Ct);

        var found = await stores.Experiences.SearchLessonsAsync(ModelA, new float[] { 0, 1, 0 }, 5, 0.5, Ct);

        Assert.Equal(["near", "nearish"], found.Select(f => f.Item.RecordId));
        Assert.Equal([1.0, 0.8], found.Select(f => Math.Round(f.Score, 4)));
        Assert.Equal([0f, 0.8f, 0.6f], found[1].Item.LessonEmbedding!);
        Assert.Equal(ModelA, found[1].Item.LessonEmbeddedBy);
        Assert.Single(await stores.Experiences.SearchLessonsAsync(ModelA, new float[] { 0, 1, 0 }, 1, 0.5, Ct));

        // Every score counts here, so only the filter keeps the others out.
        Assert.Equal(["near", "nearish", "far"], (await stores.Experiences.SearchLessonsAsync(ModelA, new float[] { 0, 1, 0 }, 10, -1, Ct)).Select(f => f.Item.RecordId));
        Assert.Equal(["other-model"], (await stores.Experiences.SearchLessonsAsync(ModelB, new float[] { 1, 0, 0 }, 10, -1, Ct)).Select(f => f.Item.RecordId));
        Assert.Equal(["other-dimension"], (await stores.Experiences.SearchLessonsAsync(ModelA, new float[] { 1, 0, 0, 0 }, 10, -1, Ct)).Select(f => f.Item.RecordId));
    }

    [Fact]
    public async Task AnExperienceRecordReadsBack()
    {
        var stores = await StoresAsync();
        var record = new ExperienceRecord { RecordId = "r1", TaskId = "t1", Workspace = "/w", Summary = "did it", Outcome = "success", ReusableLesson = null, CreatedAt = Now };

        await stores.Experiences.AddAsync(record, Ct);

        Assert.Equal(record, await stores.Experiences.GetAsync("r1", Ct));
        Assert.Null(await stores.Experiences.GetAsync("r2", Ct));
    }

    private static async Task<List<TaskEvent>> ReadAsync(StoreSet stores, string taskId, long afterSeq)
    {
        var events = new List<TaskEvent>();
        await foreach (var entry in stores.Events.ReadAsync(taskId, afterSeq, Ct))
        {
            events.Add(entry);
        }

        return events;
    }

    /// <summary>An undecided request of task <paramref name="task"/> to write a file, <paramref name="minutes"/> after <see cref="Now"/>.</summary>
    private static Approval PendingApproval(string id, string task, int minutes) => new()
    {
        ApprovalId = id,
        TaskId = task,
        Workspace = "/w",
        Action = new ToolAction("fs_write", [], null),
        NormalizedAction = new NormalizedAction("fs_write", id),
        CreatedAt = Now.AddMinutes(minutes),
    };
}
