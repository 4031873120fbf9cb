using DuckWorker.Cli;
using DuckWorker.Cli.WebConsole;
using DuckWorker.Runtime.Stores;

namespace DuckWorker.Tests.WebConsole;

/// <summary>The web console in this process, on a free port, over a worker's store and broker, with the waits its tests share.</summary>
internal static class ConsoleUnderTest
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<ConsoleServer> StartAsync(IReadOnlyDictionary<string, string?> settings, string bind = "127.0.0.1") =>
        ConsoleServer.StartAsync(new CliContext(TextWriter.Null, TextWriter.Null, TextReader.Null, settings), bind, 0, Ct);

    /// <summary>The approval the job <paramref name="jobId"/> waits for, once it waits.</summary>
    public static async Task<Approval> PendingApprovalAsync(WorkerHarness worker, string jobId)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await worker.Tasks.FindByJobIdAsync(jobId, Ct) is { Status: AgentTaskStatus.WaitingForApproval } task
                && await worker.Services.GetRequiredService<IApprovalStore>().FindPendingAsync(task.TaskId, Ct) is { } approval)
            {
                return approval;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"Job {jobId} never waited for approval.");
    }

    public static async Task<AgentTask> FinishedAsync(WorkerHarness worker, string jobId)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await worker.Tasks.FindByJobIdAsync(jobId, Ct) is { Status: AgentTaskStatus.Completed or AgentTaskStatus.Failed } task)
            {
                return task;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"Job {jobId} never finished.");
    }
}
