using System.Globalization;

namespace DuckWorker.Cli.WebConsole;

/// <summary>A stored time as a <c>time</c> element: readable in UTC, exact in its <c>datetime</c>.</summary>
internal static class TimeMarkup
{
    public static string Of(DateTimeOffset at) =>
        $"""<time datetime="{at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)}">{at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC</time>""";
}
