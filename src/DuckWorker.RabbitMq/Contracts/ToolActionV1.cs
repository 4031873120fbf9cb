using System.Text.Json.Nodes;

namespace DuckWorker.RabbitMq.Contracts;

/// <summary>The exact tool call an approval is asked for.</summary>
public sealed record ToolActionV1(string Tool, JsonObject Args, string? Reason);
