using System.Text.Json.Nodes;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>
/// One measure taken several times in one process: its median is the figure quoted, its lowest and highest show
/// how far a noisy machine moved it.
/// </summary>
internal sealed record Spread(double Median, double Min, double Max, IReadOnlyList<double> Runs)
{
    public static Spread Of(IEnumerable<double> runs)
    {
        var sorted = runs.Order().ToList();
        var middle = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        return new Spread(median, sorted[0], sorted[^1], sorted);
    }

    public JsonObject ToJson(int digits) => new()
    {
        ["median"] = Math.Round(Median, digits),
        ["min"] = Math.Round(Min, digits),
        ["max"] = Math.Round(Max, digits),
        ["runs"] = new JsonArray([.. Runs.Select(r => JsonValue.Create(Math.Round(r, digits)))]),
    };
}
