using RabbitMQ.Client;

namespace DuckWorker.RabbitMq.Consuming;

/// <summary>One message as a handler gets it. The body is only valid until the handler returns.</summary>
public sealed record Delivery(string Queue, IReadOnlyBasicProperties Properties, ReadOnlyMemory<byte> Body, bool Redelivered);
