namespace DuckWorker.Runtime.Tools;

/// <summary>A tool the action model can call. Every tool is confined to the task's workspace.</summary>
public interface ITool
{
    string Name { get; }

    /// <summary>One line for the action prompt: the arguments and what the tool does.</summary>
    string Usage { get; }

    /// <summary>Judges a call without side effects: runs, needs approval, blocked or malformed.</summary>
    ToolAssessment Assess(ToolAction action, ToolContext context);

    /// <summary>Runs a call the gateway has cleared. Failures come back as a failed result.</summary>
    Task<ToolResult> RunAsync(ToolAction action, ToolContext context, CancellationToken cancellationToken);
}
