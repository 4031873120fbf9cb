using DuckWorker.Testing.Broker;

namespace DuckWorker.Testing.Processes;

/// <summary>The DUCK_ variables every worker process of the tests needs: its broker names, models, store and workspaces in one folder.</summary>
public static class WorkerEnvironment
{
    /// <param name="models">The model of each role (thinker, action, critic, memory, embedding) the Ollama-protocol test server answers for.</param>
    public static Dictionary<string, string> For(Uri broker, BrokerNames names, Uri ollama, string folder, params (string Role, string Model)[] models)
    {
        var environment = names.Settings(broker).ToDictionary(s => "DUCK_" + s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value!);
        environment["DUCK_Ollama__BaseUrl"] = ollama.ToString();
        foreach (var (role, model) in models)
        {
            environment[$"DUCK_Ollama__Roles__{role}__Model"] = model;
        }

        environment["DUCK_Sqlite__Path"] = Path.Join(folder, "duck.db");
        environment["DUCK_Tools__WorkspaceRoot"] = Path.Join(folder, "workspaces");
        environment["DUCK_Health__Port"] = "0";
        return environment;
    }
}
