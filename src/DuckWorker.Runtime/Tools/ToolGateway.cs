using System.Text.Json.Nodes;
using DuckWorker.Runtime.Diagnostics;
using DuckWorker.Runtime.Json;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tools;

/// <summary>
/// The one way a tool runs: it looks the tool up, applies its verdict (a blocked call never runs, whatever
/// any approval says) and caps the output.
/// </summary>
public sealed class ToolGateway(IEnumerable<ITool> tools, Workspaces workspaces, IOptions<ToolsOptions> options)
{
    private readonly Dictionary<string, ITool> byName = tools.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The tool list for the action prompt, one line per tool.</summary>
    public string Catalog => string.Join('\n', byName.Values.Select(t => $"- {t.Name}: {t.Usage}"));

    public ToolCall Prepare(ToolAction action, ToolContext context)
    {
        if (workspaces.IsTasksOwn(context.Workspace, context.TaskId))
        {
            Directory.CreateDirectory(context.Workspace);
        }

        if (!byName.TryGetValue(action.Tool, out var tool))
        {
            var known = string.Join(", ", byName.Keys);
            return new ToolCall(action, context, null, ToolAssessment.Invalid(action, $"Unknown tool '{action.Tool}'. Available tools: {known}."));
        }

        return new ToolCall(action, context, tool, tool.Assess(action, context));
    }

    /// <param name="approved">A person allowed this call (once, or forever for its normalized action).</param>
    public async Task<ToolResult> RunAsync(ToolCall call, bool approved, CancellationToken cancellationToken)
    {
        var assessment = call.Assessment;
        var decision = assessment.Verdict switch
        {
            ToolVerdict.Approve when approved => "approved",
            _ => WireName.Of(assessment.Verdict),
        };
        using var activity = DuckTelemetry.Source.StartActivity($"execute_tool {call.Action.Tool}");
        activity?.SetTag("gen_ai.operation.name", "execute_tool");
        activity?.SetTag("gen_ai.tool.name", call.Action.Tool);
        activity?.SetTag("duck.tool.decision", decision);
        DuckTelemetry.ToolCalls.Add(1, new KeyValuePair<string, object?>("gen_ai.tool.name", call.Action.Tool), new KeyValuePair<string, object?>("duck.tool.decision", decision));

        var metadata = (JsonObject)assessment.Metadata.DeepClone();
        metadata[ToolMetadata.RiskLevel] ??= assessment.RiskLevel;
        metadata[ToolMetadata.RequiresApproval] = assessment.Verdict == ToolVerdict.Approve && !approved;
        metadata[ToolMetadata.Blocked] = assessment.Verdict == ToolVerdict.Block;
        metadata[ToolMetadata.Reason] = assessment.Reason;

        switch (assessment.Verdict)
        {
            case ToolVerdict.Invalid:
            case ToolVerdict.Block:
            case ToolVerdict.Approve when !approved:
                return ToolResult.Failure(assessment.Reason, metadata);
        }

        var result = await RunClearedAsync(call, cancellationToken);
        activity?.SetTag("duck.tool.ok", result.Ok);
        foreach (var (key, value) in result.Metadata)
        {
            metadata[key] = value?.DeepClone();
        }

        var (output, truncated) = OutputLimit.HeadTail(result.Output ?? "", options.Value.MaxOutputBytes);
        if (truncated)
        {
            metadata[ToolMetadata.Truncated] = true;
        }

        return result with { Output = result.Output is null ? null : output, Metadata = metadata };
    }

    private static async Task<ToolResult> RunClearedAsync(ToolCall call, CancellationToken cancellationToken)
    {
        try
        {
            return await call.Tool!.RunAsync(call.Action, call.Context, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ToolResult.Failure($"{call.Action.Tool} failed: {ex.Message}");
        }
    }
}
