using System.Text.Json.Nodes;
using DuckWorker.Runtime.Stores;

namespace DuckWorker.Cli.Commands;

/// <summary>A decision as the person gave it; a skipped request has none, and nothing is sent for it.</summary>
internal sealed record ApprovalAnswer(ApprovalDecision? Decision, string? Comment = null, JsonObject? EditedArgs = null)
{
    public static readonly ApprovalAnswer Skipped = new(Decision: null);
}
