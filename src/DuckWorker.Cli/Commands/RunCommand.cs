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
            using var answers = parse.GetValue(approvalsMode) == "ask" ? AnswerInput.For(cli) : null;
            var prompt = answers is null ? null : new ApprovalPrompt(cli, answers, PendingApprovals.From(services));
            var failed = 0;
            await foreach (var request in queue.Reader.ReadAllAsync(cancellationToken))
            {
                var result = await RunAsync(cli, services, request, prompt, cancellationToken);
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

    /// <summary>
    /// One request to its end: each approval it asks for is decided here (asked with <paramref name="prompt"/>;
    /// without one, or once the input has ended, denied), then the task continues.
    /// </summary>
    private static async Task<ChatResult> RunAsync(CliContext cli, IServiceProvider services, ChatRequest request, ApprovalPrompt? prompt, CancellationToken cancellationToken)
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
                var answer = (prompt is null ? null : await prompt.AskAsync(approval, canSkip: false, cancellationToken)) ?? new ApprovalAnswer(ApprovalDecision.Deny);
                var decision = answer.Decision!.Value;
                var decided = await approvals.DecideAsync(approval.ApprovalId, decision, Environment.UserName, result.TaskId, answer.Comment, answer.EditedArgs, cancellationToken);
                if (decided.Outcome == DecisionOutcome.EditRefused)
                {
                    // Judged again by the worker's own service (a rule may have changed since the prompt judged it): asked again.
                    await cli.Errors.WriteLineAsync($"Refused: {decided.Refusal}");
                    continue;
                }

                cli.Console.WriteLine($"  decided: {WireName.Of(decision)}{(answer.EditedArgs is null ? "" : " (edited)")}");
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
}
