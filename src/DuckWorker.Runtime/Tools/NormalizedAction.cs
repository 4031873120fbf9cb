namespace DuckWorker.Runtime.Tools;

/// <summary>
/// The canonical form of a tool call that an <c>allow_forever</c> rule matches: the same tool and the same
/// key (a normalized command line, a workspace-relative path…), nothing broader.
/// </summary>
public sealed record NormalizedAction(string Tool, string Key);
