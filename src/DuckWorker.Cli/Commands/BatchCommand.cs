using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckWorker.Cli.Broker;
using DuckWorker.RabbitMq.Contracts;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// <c>duck batch requests.jsonl -o results.jsonl</c>: publishes every request as a job, collects the outcomes
/// (through <c>reply_to</c>, and the events exchange for jobs submitted by an earlier run), and writes one
/// result line per request as it arrives. Run again, it submits only what has no outcome yet; at the end the
/// results file holds one line per job, the newest, in the order of the requests.
/// </summary>
internal static class BatchCommand
{
    private const string Completed = "completed";
    private const string Failed = "failed";
    private const string Waiting = "waiting_for_approval";

    public static Command Create(Func<ParseResult, CliContext> configure)
    {
        var requests = new Argument<string>("requests") { Description = "A JSON Lines file: one {\"message\": …} request per line (jobId optional: a request without one is known by its content)." };
        var results = new Option<string>("--output", "-o") { Description = "Where the results go, one JSON line per request.", Required = true };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "How long to wait for the outcomes.", DefaultValueFactory = _ => TimeSpan.FromHours(1) };
        var command = new Command("batch", "Submit a file of requests and collect their results.") { requests, results, timeout };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            var all = await RequestFile.ReadAsync(parse.GetValue(requests)!, cancellationToken);
            var output = parse.GetValue(results)!;
            var recorded = await RecordedAsync(output, cancellationToken);
            var pending = all.Where(r => Status(recorded.GetValueOrDefault(r.Job.JobId)) is not (Completed or Failed)).ToDictionary(r => r.Job.JobId);
            var counts = new Dictionary<string, int> { [Completed] = 0, [Failed] = 0, [Waiting] = 0 };
            foreach (var status in all.Select(r => Status(recorded.GetValueOrDefault(r.Job.JobId))).Where(s => s is Completed or Failed))
            {
                counts[status!]++;
            }

            // Opened before anything is submitted: results that could not be written would be lost.
            await using var writer = OpenForAppending(output);
            await using var broker = await CliBroker.ConnectAsync(cli.Configuration(), cancellationToken);
            await using var feed = await broker.FollowAsync(cancellationToken, RoutingKeys.TaskCompleted, RoutingKeys.TaskFailed, RoutingKeys.ApprovalRequested);
            foreach (var (_, (_, job)) in pending)
            {
                await broker.SubmitAsync(MessageTypes.Chat, job, job.JobId, feed.Queue, cancellationToken);
            }

            cli.Console.WriteLine($"{all.Count} requests: {all.Count - pending.Count} already have an outcome, {pending.Count} submitted.");
            var started = TimeProvider.System.GetTimestamp();
            var waiting = new HashSet<string>(StringComparer.Ordinal);
            var submitted = pending.Count;
            await cli.Console.Progress().StartAsync(async progress =>
            {
                var bar = progress.AddTask("jobs", maxValue: Math.Max(1, submitted));
                while (pending.Count > waiting.Count && TimeProvider.System.GetElapsedTime(started) < parse.GetValue(timeout))
                {
                    var message = await feed.NextAsync(TimeSpan.FromSeconds(1), cancellationToken);
                    if (message?.Text("jobId") is not { } jobId || !pending.TryGetValue(jobId, out var request))
                    {
                        continue;
                    }

                    var status = message.RoutingKey == RoutingKeys.ApprovalRequested ? Waiting : message.Text("status")!;
                    if (status == Waiting && !waiting.Add(jobId))
                    {
                        continue;
                    }

                    if (status != Waiting)
                    {
                        pending.Remove(jobId);
                        waiting.Remove(jobId);
                    }

                    counts[status]++;
                    bar.Value = submitted - pending.Count + waiting.Count;
                    var rate = (counts[Completed] + counts[Failed]) / Math.Max(TimeProvider.System.GetElapsedTime(started).TotalSeconds, 0.001);
                    bar.Description = $"{counts[Completed]} done, {counts[Failed]} failed, {counts[Waiting]} waiting, {rate:0.0} jobs/s";
                    var line = JsonSerializer.Serialize(new
                    {
                        jobId,
                        line = request.Line,
                        taskId = message.Text("taskId"),
                        status,
                        finalResponse = message.Text("finalResponse"),
                        approvalId = message.Text("approvalId"),
                    }, ContractJson.Options);
                    if (recorded.GetValueOrDefault(jobId) == line)
                    {
                        // The same outcome an earlier run wrote (a task still waiting for the same approval).
                        continue;
                    }

                    recorded[jobId] = line;
                    await writer.WriteLineAsync(line);
                    await writer.FlushAsync(cancellationToken);
                }
            });

            await writer.DisposeAsync();
            await CompactAsync(cli, output, all, recorded, cancellationToken);
            var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds;
            cli.Console.WriteLine($"{all.Count} requests: {counts[Completed]} completed, {counts[Failed]} failed, {waiting.Count} waiting for approval, {pending.Count - waiting.Count} without an outcome yet; results in {output}.");
            cli.Console.WriteLine($"Throughput: {(counts[Completed] + counts[Failed]) / Math.Max(seconds, 0.001):0.0} jobs/s over {seconds:0.0} s.");
            return counts[Failed] > 0 ? ExitCodes.TaskFailed : pending.Count > waiting.Count ? ExitCodes.UsageOrConnection : ExitCodes.Success;
        });
        return command;
    }

    private static StreamWriter OpenForAppending(string path)
    {
        try
        {
            return new StreamWriter(path, append: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot write the results to '{path}' (--output): {ex.Message} Nothing was submitted.");
        }
    }

    /// <summary>The newest result line of each job of earlier runs, from the results file.</summary>
    private static async Task<Dictionary<string, string>> RecordedAsync(string path, CancellationToken cancellationToken)
    {
        var recorded = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return recorded;
        }

        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            try
            {
                using var result = JsonDocument.Parse(line);
                if (result.RootElement.GetProperty("jobId").GetString() is { } jobId && result.RootElement.GetProperty("status").GetString() is not null)
                {
                    recorded[jobId] = line;
                }
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                // A line cut off when an earlier run was interrupted: that job is submitted again, which runs it at most once.
            }
        }

        return recorded;
    }

    private static string? Status(string? line)
    {
        if (line is null)
        {
            return null;
        }

        using var result = JsonDocument.Parse(line);
        return result.RootElement.GetProperty("status").GetString();
    }

    /// <summary>
    /// Rewrites the results with one line per job, in the order of the requests (then the jobs of requests no
    /// longer in the file), each with its request's line now: what earlier runs appended is kept, but not twice.
    /// Written aside, then moved, so that an interruption leaves either file whole.
    /// </summary>
    private static async Task CompactAsync(CliContext cli, string path, IReadOnlyList<(int Line, ChatJobV1 Job)> requests, Dictionary<string, string> recorded, CancellationToken cancellationToken)
    {
        var inFile = requests.Where(r => recorded.ContainsKey(r.Job.JobId)).ToList();
        var inOrder = inFile.Select(r => AtLine(recorded[r.Job.JobId], r.Line))
            .Concat(recorded.Keys.Except(inFile.Select(r => r.Job.JobId)).Select(jobId => recorded[jobId]));
        var aside = path + ".rewrite";
        try
        {
            await File.WriteAllLinesAsync(aside, inOrder, cancellationToken);
            File.Move(aside, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await cli.Errors.WriteLineAsync($"The results in '{path}' are complete but not rewritten in order ({ex.Message}).");
        }
    }

    private static string AtLine(string result, int line)
    {
        var json = JsonNode.Parse(result)!.AsObject();
        json["line"] = line;
        return json.ToJsonString(ContractJson.Options);
    }
}
