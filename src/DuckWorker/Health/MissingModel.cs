namespace DuckWorker.Health;

/// <summary>A configured model Ollama does not have, and the roles (<c>Ollama:Roles:&lt;role&gt;:Model</c>) that name it.</summary>
internal sealed record MissingModel(string Model, IReadOnlyList<string> Roles)
{
    public override string ToString() =>
        $"{Model} ({string.Join(", ", Roles.Select(role => $"Ollama:Roles:{role}:Model"))}): run 'ollama pull {Model}'";
}
