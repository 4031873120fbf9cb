using System.Text.Json;
using System.Text.Json.Nodes;

namespace DuckWorker.Testing.Stores;

/// <summary>
/// An event payload that a store must give back unchanged: unicode and escapes, 64-bit extremes, a decimal no
/// double holds, null, mixed arrays, empty containers, 1 MB strings, and 40 levels of nesting
/// (<c>deep.level</c> runs 39 down to 0, then <c>leaf</c>).
/// </summary>
public static class AwkwardJson
{
    public const int DeepLevels = 40;

    public static JsonElement Payload()
    {
        JsonNode deep = new JsonObject { ["leaf"] = 1 };
        for (var i = 0; i < DeepLevels; i++)
        {
            deep = new JsonObject { ["level"] = i, ["child"] = deep };
        }

        return JsonSerializer.SerializeToElement(new JsonObject
        {
            ["text"] = "ünïcödé 🦆 \"quoted\" \\ \n\t",
            ["big"] = long.MaxValue,
            ["small"] = long.MinValue,
            ["decimal"] = 12345678901234567890.123456789m,
            ["double"] = 0.1,
            ["null"] = null,
            ["flag"] = false,
            ["mixed"] = new JsonArray(1, "two", null, true, new JsonObject { ["three"] = 3 }, new JsonArray()),
            ["emptyObject"] = new JsonObject(),
            ["emptyArray"] = new JsonArray(),
            ["large"] = new string('x', 1024 * 1024),
            ["largeUnicode"] = string.Concat(Enumerable.Repeat("語🦆", 200_000)),
            ["deep"] = deep,
        });
    }
}
