using System.Security.Cryptography;
using System.Text;
using DuckWorker.RabbitMq.Contracts;
using RabbitMQ.Client;

namespace DuckWorker.Cli.Broker;

/// <summary>
/// A message of the dead-letter queue as a person reads it: which queue it came from and why it is here. The
/// worker says why in <c>x-duck-reason</c>; the broker's own dead-lettering (delivery limit, rejection) in <c>x-death</c>.
/// </summary>
internal sealed record DeadLetter(string Id, string? Type, string? Queue, string Reason, DateTimeOffset? At, BasicGetResult Message)
{
    public static DeadLetter Of(BasicGetResult message)
    {
        var properties = message.BasicProperties;
        var headers = properties.Headers ?? new Dictionary<string, object?>();
        var death = headers.TryGetValue("x-death", out var deaths) && deaths is IList<object?> { Count: > 0 } list ? list[0] as IDictionary<string, object?> : null;
        var queue = Text(headers, MessageHeaders.OriginalQueue) ?? Text(headers, "x-first-death-queue") ?? (death is null ? null : Text(death, "queue"));
        var reason = Text(headers, MessageHeaders.Reason)
            ?? (Text(headers, "x-first-death-reason") ?? (death is null ? null : Text(death, "reason"))) switch
            {
                null => "no reason recorded",
                "delivery_limit" => "delivery_limit: handed back more often than RabbitMq:DeliveryLimit allows",
                "rejected" => "rejected: a consumer refused it",
                "expired" => "expired: its time to live ran out",
                "maxlen" => "maxlen: the queue was full",
                var other => other,
            };
        DateTimeOffset? at = death is not null && death.TryGetValue("time", out var time) && time is AmqpTimestamp stamp
            ? DateTimeOffset.FromUnixTimeSeconds(stamp.UnixTime)
            : properties.IsTimestampPresent() ? DateTimeOffset.FromUnixTimeSeconds(properties.Timestamp.UnixTime) : null;
        var id = string.IsNullOrEmpty(properties.MessageId)
            ? Convert.ToHexStringLower(SHA256.HashData(message.Body.Span))[..12]
            : properties.MessageId;
        return new DeadLetter(id, properties.Type, queue, reason, at, message);
    }

    private static string? Text(IDictionary<string, object?> headers, string key) =>
        headers.TryGetValue(key, out var value) ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            string text => text,
            _ => null,
        } : null;
}
