using System.Diagnostics;
using System.Text.RegularExpressions;
using DuckWorker.Sqlite;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;
using DuckWorker.Testing.Processes;
using Microsoft.Extensions.Options;

namespace DuckWorker.Tests.Contracts;

/// <summary>
/// A reader of <c>docs/</c> alone can talk to the worker from another language: the Python producer and
/// approver of <c>docs/clients.md</c> (the files under <c>docs/clients/</c>), run by Debian's Python with
/// pika, drive a job through a real worker process and the real broker, from submission through its pause
/// for approval to its outcome.
/// </summary>
public sealed partial class APythonProducerAndApproverDriveAJob(BrokerFixture broker) : IDisposable
{
    /// <summary>Debian's Python, which <c>apt-get install python3-pika</c> gives pika (.ci/run installs it).</summary>
    private const string Python = "/usr/bin/python3";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private readonly string folder = Directory.CreateTempSubdirectory("duck-python-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void TheClientsInTheDocsAreTheFilesThatAreRun()
    {
        var blocks = CodeBlock().Matches(RepositoryDocs.Read("docs/clients.md")).ToDictionary(m => m.Groups["file"].Value, m => m.Groups["code"].Value);

        foreach (var file in new[] { "docs/clients/producer.py", "docs/clients/approver.py" })
        {
            Assert.True(blocks.TryGetValue(file, out var shown), $"docs/clients.md has no ```python block headed \"# {file}\"; it should show the file.");
            Assert.Equal(RepositoryDocs.Read(file).ReplaceLineEndings("\n").TrimEnd(), shown.ReplaceLineEndings("\n").TrimEnd());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AJobSubmittedFromPythonPausesIsApprovedFromPythonAndFinishes(bool asked)
    {
        broker.SkipIfUnavailable();
        if (await RunAsync(["-c", "import pika"], TimeSpan.FromSeconds(30)) is { ExitCode: not 0 } probe)
        {
            Assert.Skip($"{Python} has no pika (apt-get install -y python3-pika; .ci/run installs it): {probe.Output.Trim()}");
        }

        await using var ollama = await OllamaTestServer.StartAsync(Ct);
        ollama.Fallback = Replies.Writing;
        var names = broker.UniqueNames();
        var workspace = Directory.CreateDirectory(Path.Join(folder, "workspaces", "python")).FullName;
        var brokerUri = broker.Uri!.ToString();
        await using var worker = WorkerProcess.Start(folder, WorkerEnvironment.For(broker.Uri!, names, ollama.BaseUrl, folder, WorkerHarness.Models));
        await worker.WaitForOutputAsync($"Consuming {names.Jobs},", Patience, Ct);

        try
        {
            var approver = RunAsync(
                [
                    RepositoryDocs.PathOf("docs/clients/approver.py"), "--broker", brokerUri, "--requests-queue", names.ApprovalsRequested, "--decisions-queue", names.Decisions,
                    "--decided-by", "python-approver", "--count", "1", .. asked ? ["--decision", "ask"] : new[] { "--decision", "allow_once", "--comment", "as the user asked" },
                ],
                Patience,
                input: asked ? "e {\"content\": \"edited from python\"}\n" : null);
            var producer = await RunAsync(
                [RepositoryDocs.PathOf("docs/clients/producer.py"), "--broker", brokerUri, "--jobs-queue", names.Jobs, "--events-exchange", names.Events, "--workspace", "python", "--job-id", "python-1", "--timeout", "60", "please write haiku.txt"],
                Patience);
            var approved = await approver;

            Assert.True(producer.ExitCode == 0, $"producer.py exited {producer.ExitCode}:\n{producer.Output}\napprover.py:\n{approved.Output}\nworker:\n{worker.Output}");
            Assert.True(approved.ExitCode == 0, $"approver.py exited {approved.ExitCode}:\n{approved.Output}");
            var approvalId = WaitingFor().Match(producer.Output).Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(approvalId), $"producer.py did not show the task waiting for approval:\n{producer.Output}");
            Assert.Contains($"allow_once {approvalId} ", approved.Output, StringComparison.Ordinal);
            Assert.Contains("event task_waiting_for_approval", producer.Output, StringComparison.Ordinal);
            Assert.Contains("completed: answer to please write haiku.txt", producer.Output, StringComparison.Ordinal);
            Assert.Equal(asked ? "edited from python" : "written by duck", File.ReadAllText(Path.Join(workspace, "haiku.txt")));
            using var store = new SqliteDatabase(Options.Create(new SqliteOptions { Path = Path.Join(folder, "duck.db") }));
            var decided = (await new SqliteApprovalStore(store).GetAsync(approvalId, Ct))!;
            Assert.Equal(
                asked ? ("python-approver", null, "edited from python") : ("python-approver", "as the user asked", null),
                (decided.DecidedBy, decided.Comment, decided.EditedArgs?["content"]?.GetValue<string>()));
        }
        finally
        {
            await broker.DeleteAsync(names, CancellationToken.None);
        }
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>Runs Debian's Python with a HOME of the test's own and <paramref name="input"/> on its standard input, and returns its exit code and all it printed.</summary>
    private async Task<(int ExitCode, string Output)> RunAsync(string[] arguments, TimeSpan timeout, string? input = null)
    {
        var start = new ProcessStartInfo(Python, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.Environment["HOME"] = folder;
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["PYTHONUNBUFFERED"] = "1";
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return (-1, $"{string.Join(' ', arguments)} did not end within {timeout}:\n{await output}{await errors}");
        }

        return (process.ExitCode, await output + await errors);
    }

    [GeneratedRegex(@"```python\n# (?<file>docs/clients/[a-z_]+\.py)\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"waiting for approval (\S+):")]
    private static partial Regex WaitingFor();
}
