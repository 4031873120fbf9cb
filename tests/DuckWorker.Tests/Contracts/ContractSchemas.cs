using System.Text.Json;
using DuckWorker.RabbitMq.Contracts;
using Json.Schema;

namespace DuckWorker.Tests.Contracts;

/// <summary>The JSON Schemas of <c>docs/schemas/</c>, one per message type, and what a message breaks of them.</summary>
internal static class ContractSchemas
{
    /// <summary>The schema file of each AMQP <c>type</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>
    {
        [MessageTypes.Chat] = "duck.chat-job.v1.schema.json",
        [MessageTypes.Continue] = "duck.continue-job.v1.schema.json",
        [MessageTypes.ApprovalRequested] = "duck.approval-requested.v1.schema.json",
        [MessageTypes.ApprovalDecision] = "duck.approval-decision.v1.schema.json",
        [MessageTypes.TaskFinished] = "duck.task-finished.v1.schema.json",
        [MessageTypes.TaskEvent] = "duck.task-event.v1.schema.json",
    };

    private static readonly EvaluationOptions Evaluation = new() { OutputFormat = OutputFormat.List, RequireFormatValidation = true };

    public static string PathOf(string type) => Path.Join("docs", "schemas", Files[type]);

    public static JsonSchema Load(string type) =>
        JsonSchema.FromText(RepositoryDocs.Read(PathOf(type)), new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    /// <summary>Every error of <paramref name="json"/> against the schema of <paramref name="type"/>, as "location: message"; empty when it is valid.</summary>
    public static IReadOnlyList<string> Errors(string type, string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = Load(type).Evaluate(document.RootElement, Evaluation);
        return results.IsValid
            ? []
            : [.. (results.Details ?? []).Prepend(results)
                // An if that does not hold is how a payload is selected by eventType, not an error.
                .Where(d => d.Errors is { Count: > 0 } && !d.EvaluationPath.ToString().Contains("/if", StringComparison.Ordinal))
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"))
                .Distinct()];
    }

    /// <summary>Fails, naming the schema, the message and every error, unless <paramref name="json"/> is valid.</summary>
    public static void AssertValid(string type, string json)
    {
        var errors = Errors(type, json);
        Assert.True(errors.Count == 0, $"A {type} does not match {PathOf(type)}:\n{json}\n{string.Join('\n', errors)}");
    }
}
