using System.Text.Json;
using DuckWorker.RabbitMq.Contracts;
using RabbitMQ.Client;

namespace DuckWorker.Cli.Broker;

/// <summary>A message of the jobs queue as a person reads it: whose job, what it asks, how often it was delivered already.</summary>
internal sealed record QueuedJob(string? JobId, string? Type, string Summary, DateTimeOffset? PublishedAt, long Deliveries, BasicGetResult Message)
{
    public static QueuedJob Of(BasicGetResult message)
    {
        var properties = message.BasicProperties;
        string? jobId = null;
        var summary = "(not JSON: the worker will dead-letter it)";
        try
        {
            using var body = JsonDocument.Parse(message.Body);
            if (body.RootElement.ValueKind == JsonValueKind.Object)
            {
                jobId = Text(body.RootElement, "jobId");
                summary = (properties.Type == MessageTypes.Continue
                    ? $"continue task {Text(body.RootElement, "taskId")} after approval {Text(body.RootElement, "approvalId")}"
                    : Text(body.RootElement, "message") ?? "(no message)").ReplaceLineEndings(" ");
            }
        }
        catch (JsonException)
        {
            // Shown with the summary above: the worker dead-letters it when its turn comes.
        }

        var deliveries = properties.Headers is { } headers && headers.TryGetValue("x-delivery-count", out var count) && count is not null
            ? Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture)
            : 0;
        return new QueuedJob(
            jobId ?? properties.CorrelationId,
            properties.Type,
            summary.Length <= 80 ? summary : summary[..80] + "…",
            properties.IsTimestampPresent() ? DateTimeOffset.FromUnixTimeSeconds(properties.Timestamp.UnixTime) : null,
            deliveries,
            message);
    }

    private static string? Text(JsonElement body, string property) =>
        body.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
