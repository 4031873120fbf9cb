using System.CommandLine;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using DuckWorker.Cli.Rendering;
using DuckWorker.Embeddings;
using DuckWorker.Ollama;
using DuckWorker.RabbitMq.Consuming;
using DuckWorker.Runtime.Approvals;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// <c>duck run "message"</c> or <c>duck run --file requests.jsonl</c>: offline, in one process, with no
/// broker: the requests go through an in-process queue to the same runtime loop, against local Ollama, on the
/// configured store; approvals are asked on the terminal (or all denied with <c>--approvals deny</c>). Memories
/// are embedded in process (<c>Memory:Embedder</c> = local) unless configured otherwise.
/// </summary>
internal static class RunCommand
{
    private const string Prompt = "[a]llow once, allow [f]orever, [d]eny, [e]dit (a comment may follow: d not on main)? ";

    // Offline means no embedding model to pull: the in-process one, unless the configuration names another.
    private static readonly Dictionary<string, string?> OfflineDefaults = new()
    {
        [$"{EmbedderOptions.Section}:{nameof(EmbedderOptions.Embedder)}"] = EmbedderOptions.Local,
    };

    public static Command Create(Func<ParseResult, CliContext> configure)
    {
        var message = new Argument<string?>("message") { Description = "What to ask.", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string?>("--file") { Description = "A JSON Lines file of requests ({\"message\": …} per line) instead of one message." };
        var workspace = new Option<string?>("--workspace") { Description = "A folder under Tools:WorkspaceRoot (default: a new empty one per request)." };
        var approvalsMode = new Option<string>("--approvals") { Description = "ask: on the terminal; deny: deny every request.", DefaultValueFactory = _ => "ask" };
        approvalsMode.AcceptOnlyFromAmong("ask", "deny");
        var reasoning = new Option<string?>("--reasoning") { Description = "Turn the thinker's reasoning on or off." };
        reasoning.AcceptOnlyFromAmong("on", "off");
        var noReflect = new Option<bool>("--no-reflect") { Description = "Skip the critic's reflection." };
        var command = new Command("run", "Run requests offline, in this process, without a broker.") { message, file, workspace, approvalsMode, reasoning, noReflect };
        command.Validators.Add(result =>
        {
            if (result.GetValue(message) is null == result.GetValue(file) is null)
            {
                result.AddError("Give either a message or --file, not both and not neither.");
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            var requests = parse.GetValue(file) is { } path
                ? (await RequestFile.ReadAsync(path, cancellationToken)).Select(r => r.Job).ToList()
                : [new RabbitMq.Contracts.ChatJobV1(Guid.NewGuid().ToString("N"), parse.GetValue(message)!)];
            var services = cli.Agent(OfflineDefaults);
            var queue = Channel.CreateUnbounded<ChatRequest>();
            foreach (var job in requests)
            {
                await queue.Writer.WriteAsync(
                    new ChatRequest
                    {
                        JobId = job.JobId,
                        Message = job.Message,
                        Workspace = job.Workspace ?? parse.GetValue(workspace),
                        Reasoning = (job.Reasoning ?? parse.GetValue(reasoning)) switch { "on" => ReasoningMode.On, "off" => ReasoningMode.Off, _ => null },
                        Reflect = job.Reflect && !parse.GetValue(noReflect),
                        History = [.. (job.History ?? []).Select(m => new ConversationMessage(m.Role, m.Content))],
                        SkillSummary = job.SkillSummary,
                    },
                    cancellationToken);
            }

            queue.Writer.Complete();
            var failed = 0;
            await foreach (var request in queue.Reader.ReadAllAsync(cancellationToken))
            {
                var result = await RunAsync(cli, services, request, parse.GetValue(approvalsMode) == "ask", cancellationToken);
                failed += result.Status == AgentTaskStatus.Failed ? 1 : 0;
                if (requests.Count > 1)
                {
                    cli.Console.WriteLine($"{request.JobId}  {WireName.Of(result.Status)}  {result.FinalResponse}");
                }
                else if (result.Status == AgentTaskStatus.Failed)
                {
                    await cli.Errors.WriteLineAsync($"The task failed: {result.FinalResponse}");
                }
                else
                {
                    cli.Console.WriteLine(result.FinalResponse);
                }
            }

            return failed == 0 ? ExitCodes.Success : ExitCodes.TaskFailed;
        });
        return command;
    }

    /// <summary>One request to its end: each approval it asks for is decided here, then the task continues.</summary>
    private static async Task<ChatResult> RunAsync(CliContext cli, IServiceProvider services, ChatRequest request, bool ask, CancellationToken cancellationToken)
    {
        var loop = services.GetRequiredService<RuntimeLoop>();
        var approvals = services.GetRequiredService<ApprovalService>();
        var pending = services.GetRequiredService<IApprovalStore>();
        try
        {
            var result = await loop.RunChatAsync(request, cancellationToken);
            while (result.Status == AgentTaskStatus.WaitingForApproval && await pending.FindPendingAsync(result.TaskId, cancellationToken) is { } approval)
            {
                ApprovalPanel.Write(cli.Console, approval.ApprovalId, approval.Action.Tool, System.Text.Json.JsonSerializer.SerializeToElement(approval.Action.Args), approval.RiskLevel, approval.Reason, approval.ForeverScope);
                var (decision, comment, editedArgs) = ask ? await AskAsync(cli, approval, cancellationToken) : (ApprovalDecision.Deny, null, null);
                var decided = await approvals.DecideAsync(approval.ApprovalId, decision, Environment.UserName, result.TaskId, comment, editedArgs, cancellationToken);
                if (decided.Outcome == DecisionOutcome.EditRefused)
                {
                    // Still pending: asked again.
                    cli.Console.WriteLine($"  refused: {decided.Refusal}");
                    continue;
                }

                cli.Console.WriteLine($"  decided: {WireName.Of(decision)}{(editedArgs is null ? "" : " (edited)")}");
                result = await loop.ContinueAfterApprovalAsync(result.TaskId, approval.ApprovalId, cancellationToken);
            }

            return result;
        }
        catch (ModelUnavailableException ex)
        {
            // Offline there is no queue to hand the job back to: the task fails, and the person learns how to start Ollama.
            var task = await services.GetRequiredService<ITaskStore>().FindByJobIdAsync(request.JobId, cancellationToken);
            if (task is not null)
            {
                await loop.FailAsync(task, ex.Message, cancellationToken);
            }

            var ollama = services.GetRequiredService<IOptions<OllamaOptions>>().Value;
            throw new CliException($"{ex.Message}\nOllama does not answer at {ollama.BaseUrl} (Ollama:BaseUrl). Start it with: ollama serve, and pull the configured models (ollama pull <model>).");
        }
    }

    /// <summary>
    /// A decision typed on the terminal: a letter, and after it a comment for the models (<c>d use the staging
    /// database</c>), or after <c>e</c> the edited call (a command line for a shell call, a JSON object laid over
    /// the args for another), allowed once if the policy lets it through. The end of the input denies.
    /// </summary>
    private static async Task<(ApprovalDecision Decision, string? Comment, JsonObject? EditedArgs)> AskAsync(CliContext cli, Approval approval, CancellationToken cancellationToken)
    {
        while (true)
        {
            cli.Console.Write(Prompt);

            // The console's reader blocks whatever its Async name says; on Ctrl+C the command ends without it.
            var answer = await Task.Run(cli.Input.ReadLine, CancellationToken.None).WaitAsync(cancellationToken);
            if (answer is null)
            {
                return (ApprovalDecision.Deny, null, null);
            }

            var trimmed = answer.Trim();
            var rest = trimmed.Length > 1 && trimmed[1] == ' ' ? trimmed[2..].Trim() : null;
            var letter = trimmed.Length == 1 || rest is not null ? char.ToLowerInvariant(trimmed[0]) : '?';
            switch (letter)
            {
                case 'a' or 'f' or 'd' when rest is not null && MessageLimits.CommentProblem(rest) is { } problem:
                    cli.Console.WriteLine($"  the comment: {problem}");
                    break;
                case 'a':
                    return (ApprovalDecision.AllowOnce, rest, null);
                case 'f':
                    return (ApprovalDecision.AllowForever, rest, null);
                case 'd':
                    return (ApprovalDecision.Deny, rest, null);
                case 'e' when rest is not null && Changes(approval, rest) is { } changes:
                    return (ApprovalDecision.AllowOnce, null, PendingApprovals.EditedArgs(approval, changes));
                case 'e' when rest is not null:
                    cli.Console.WriteLine($"  an edit of a {approval.Action.Tool} call is a JSON object of the args it changes, e.g. {{\"content\": \"...\"}}");
                    break;
            }
        }
    }

    /// <summary>What an edit changes: a shell call's command line as typed, another call's args as a JSON object; null when it is not one.</summary>
    private static JsonObject? Changes(Approval approval, string typed)
    {
        if (approval.Action.Tool == ToolNames.Shell)
        {
            return new JsonObject { ["command"] = typed };
        }

        try
        {
            return JsonNode.Parse(typed) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
