using System.Text.Json;
using DuckWorker.Runtime.Json;
using Spectre.Console;

namespace DuckWorker.Cli.Rendering;

/// <summary>An approval request as a person needs it: what would run, how risky it is, why it asks, and what "forever" would allow.</summary>
internal static class ApprovalPanel
{
    public static void Write(IAnsiConsole console, string approvalId, string tool, JsonElement args, string riskLevel, string reason, string foreverScope)
    {
        console.WriteLine($"Approval {approvalId} needed ({riskLevel} risk)");
        console.WriteLine($"  tool:    {tool}");
        console.WriteLine($"  action:  {(args.TryGetProperty("command", out var command) ? command.GetString() : JsonText.Of(args))}");
        console.WriteLine($"  why:     {reason}");
        console.WriteLine($"  forever: {foreverScope}");
    }
}
