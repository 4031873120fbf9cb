using System.Text.Json.Nodes;
using DuckWorker.Policy;

namespace DuckWorker.Runtime.Tools.Shell;

/// <summary>
/// <c>shell_exec_safe</c>: a command line, judged by the <see cref="CommandPolicy"/> (read-only runs at once,
/// changes need approval, destructive and privileged commands never run), then run by the <see cref="ShellRunner"/>.
/// </summary>
internal sealed class ShellExecTool(CommandPolicy policy, ShellRunner runner) : ITool
{
    public string Name => ToolNames.Shell;

    public string Usage => """{"command": "<shell command line>"} runs in the workspace; read-only commands run at once, changes need approval.""";

    public ToolAssessment Assess(ToolAction action, ToolContext context)
    {
        var command = action.StringArg("command");
        if (string.IsNullOrWhiteSpace(command))
        {
            return ToolAssessment.Invalid(action, "shell_exec_safe needs a 'command' argument (a command line).");
        }

        var judged = policy.Evaluate(command, context.Workspace);
        var metadata = new JsonObject
        {
            [ToolMetadata.Command] = command,
            [ToolMetadata.ActionType] = judged.ActionType.ToWire(),
            [ToolMetadata.RiskLevel] = judged.RiskLevel.ToWire(),
        };
        return new ToolAssessment(
            judged.Decision switch
            {
                CommandDecision.Run => ToolVerdict.Run,
                CommandDecision.Approve => ToolVerdict.Approve,
                _ => ToolVerdict.Block,
            },
            judged.Reason,
            judged.RiskLevel.ToWire(),
            new NormalizedAction(Name, judged.NormalizedCommand),
            $"Running exactly this command, `{judged.NormalizedCommand}`, in the workspace {context.Workspace}, without asking again; any other command, or this one in another workspace, still needs approval.",
            metadata);
    }

    public async Task<ToolResult> RunAsync(ToolAction action, ToolContext context, CancellationToken cancellationToken)
    {
        var command = action.StringArg("command")!;
        // Only a command judged a network action may reach the network. A tool runs with its action, not the
        // gateway's assessment, so the command is judged again here: the judgement is pure (the same command in
        // the same workspace gets the same one) and costs far less than the process it starts.
        var network = policy.Evaluate(command, context.Workspace).ActionType == CommandActionType.Network ? ShellNetwork.Allowed : ShellNetwork.Denied;
        var ran = await runner.RunAsync(command, context.Workspace, network, cancellationToken);
        if (ran.SandboxError is { } sandboxError)
        {
            return ToolResult.Failure($"The sandbox (bubblewrap) did not run the command: {sandboxError}", new JsonObject { [ToolMetadata.DurationMs] = ran.DurationMs });
        }

        var metadata = new JsonObject
        {
            [ToolMetadata.ReturnCode] = ran.ExitCode,
            [ToolMetadata.DurationMs] = ran.DurationMs,
            [ToolMetadata.Truncated] = ran.Truncated,
        };
        var error = ran.TimedOut
            ? "The command did not finish within Tools:ShellTimeout and was killed with everything it started."
            : ran.ExitCode != 0 ? $"The command exited with status {ran.ExitCode}." : null;
        return new ToolResult(error is null, ran.Output, error, metadata);
    }
}
