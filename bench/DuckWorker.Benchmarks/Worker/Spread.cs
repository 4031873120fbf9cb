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

    /// <summary>"median (min–max)" for the results table.</summary>
    public string Describe(string format) =>
        Runs.Count == 1 ? Median.ToString(format, System.Globalization.CultureInfo.InvariantCulture)
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Median.ToString(format, System.Globalization.CultureInfo.InvariantCulture)} ({Min.ToString(format, System.Globalization.CultureInfo.InvariantCulture)}–{Max.ToString(format, System.Globalization.CultureInfo.InvariantCulture)})");
}
