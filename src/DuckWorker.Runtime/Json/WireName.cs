using System.Collections.Concurrent;
using System.Text.Json;

namespace DuckWorker.Runtime.Json;

/// <summary>
/// The snake_case names enums have on the wire and in stores (<c>WaitingForApproval</c> ↔ <c>waiting_for_approval</c>),
/// so every adapter spells them the same way.
/// </summary>
public static class WireName
{
    private static readonly ConcurrentDictionary<Enum, string> Names = new();

    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum =>
        Names.GetOrAdd(value, static v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Of(candidate), text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    public static TEnum Parse<TEnum>(string text) where TEnum : struct, Enum =>
        TryParse<TEnum>(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a known {typeof(TEnum).Name} ({string.Join(", ", Enum.GetValues<TEnum>().Select(v => Of(v)))}).");
}
