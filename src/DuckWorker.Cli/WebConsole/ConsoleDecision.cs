using System.Text.Json.Nodes;

namespace DuckWorker.Cli.WebConsole;

/// <summary>
/// A decision a person made in the console: <paramref name="Decision"/> is the wire name (<c>allow_once</c>,
/// <c>allow_forever</c>, <c>deny</c>); <paramref name="Comment"/> is what they wrote, <paramref name="EditedArgs"/>
/// the arguments they changed the action to, when they did.
/// </summary>
internal sealed record ConsoleDecision(string ApprovalId, string Decision, string DecidedBy, string? Comment, JsonObject? EditedArgs);
