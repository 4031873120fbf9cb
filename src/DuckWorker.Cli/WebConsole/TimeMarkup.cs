using System.Globalization;

namespace DuckWorker.Cli.WebConsole;

/// <summary>A stored time as a <c>time</c> element: readable in UTC, exact in its <c>datetime</c>.</summary>
internal static class TimeMarkup
{
    public static string Of(DateTimeOffset at) => Of(at, "yyyy-MM-dd HH:mm:ss 'UTC'");

    /// <summary>The time of day alone, where the date is known around it (a task's timeline).</summary>
    public static string TimeOfDay(DateTimeOffset at) => Of(at, "HH:mm:ss.fff");

    private static string Of(DateTimeOffset at, string format) =>
        $"""<time datetime="{at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)}" title="{at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)} UTC">{at.ToUniversalTime().ToString(format, CultureInfo.InvariantCulture)}</time>""";
}
