using System.Globalization;

namespace DuckWorker.Cli.Rendering;

/// <summary>How long ago something happened, in the one unit a person reads at a glance: 42s, 5m, 3h, 2d.</summary>
internal static class Age
{
    public static string Since(DateTimeOffset then, DateTimeOffset now)
    {
        var age = now - then;
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return age.TotalMinutes < 1 ? Format(age.TotalSeconds, "s")
            : age.TotalHours < 1 ? Format(age.TotalMinutes, "m")
            : age.TotalDays < 1 ? Format(age.TotalHours, "h")
            : Format(age.TotalDays, "d");
    }

    private static string Format(double value, string unit) => ((long)value).ToString(CultureInfo.InvariantCulture) + unit;
}
