namespace DuckWorker.Runtime.Models;

/// <summary>The model roles of docs/configuration.md; each is one keyed <c>IChatClient</c> (or embedding generator).</summary>
public static class ModelRoles
{
    public const string Thinker = "thinker";
    public const string Action = "action";
    public const string Critic = "critic";
    public const string Memory = "memory";
    public const string Embedding = "embedding";

    public static IReadOnlyList<string> Chat { get; } = [Thinker, Action, Critic, Memory];

    public static IReadOnlyList<string> All { get; } = [Thinker, Action, Critic, Memory, Embedding];
}
