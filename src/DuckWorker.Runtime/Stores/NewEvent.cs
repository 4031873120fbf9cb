using System.Text.Json;

namespace DuckWorker.Runtime.Stores;

/// <summary>An event about to be appended: the log gives it its seq and time.</summary>
public sealed record NewEvent(string EventType, JsonElement Payload);
