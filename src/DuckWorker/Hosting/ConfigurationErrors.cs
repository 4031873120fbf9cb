using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace DuckWorker.Hosting;

/// <summary>
/// The operator's part of a failed start, one line each: invalid options (one, or several at once), a value that
/// is not of its key's type. Anything else is not a configuration error and gets none.
/// </summary>
public static partial class ConfigurationErrors
{
    /// <summary>The exit code of a configuration error (sysexits.h's <c>EX_CONFIG</c>).</summary>
    public const int ExitCode = 78;

    public static IReadOnlyList<string> Of(Exception error) => error switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        InvalidOperationException unconvertible when Conversion().Match(unconvertible.Message) is { Success: true } match =>
            [Unconvertible(match.Groups["key"].Value, match.Groups["value"].Value, match.Groups["type"].Value)],
        AggregateException many when many.InnerExceptions.Select(Of).ToList() is var each && each.All(e => e.Count > 0) =>
            [.. each.SelectMany(e => e)],
        _ => [],
    };

    private static string Unconvertible(string key, string value, string type)
    {
        var expected = type switch
        {
            "System.Int32" or "System.Int64" => "a whole number",
            "System.Double" or "System.Single" => "a number",
            "System.Boolean" => "true or false",
            "System.TimeSpan" => "a duration such as 00:00:30",
            "System.Uri" => "an absolute address",
            _ => $"a {type}",
        };

        // An address or connection string may hold a password; the key is enough to find it.
        var shown = key.EndsWith("Uri", StringComparison.OrdinalIgnoreCase) || key.EndsWith("ConnectionString", StringComparison.OrdinalIgnoreCase)
            ? ""
            : $"; it is '{value}'";
        return $"{key} must be {expected}{shown}.";
    }

    [GeneratedRegex("^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex Conversion();
}
