using System.Globalization;
using DuckWorker.Runtime.Json;
using DuckWorker.Runtime.Stores;
using Microsoft.AspNetCore.Http;

namespace DuckWorker.Cli.WebConsole.Tasks;

/// <summary>
/// The task board's filters, as its GET form sends them (so that a filtered board is a bookmarkable URL):
/// <c>status</c>, <c>workspace</c>, <c>since</c> (<c>hour</c>, <c>day</c> or <c>week</c> before now) and
/// <c>from</c>/<c>to</c> (dates, UTC, both days included). A value the form cannot have sent is an error, not ignored.
/// </summary>
internal sealed record TaskBoardQuery(string Status, string Workspace, string Since, string From, string To)
{
    public static readonly string[] Statuses = ["running", "waiting_for_approval", "completed", "failed"];

    public static readonly (string Value, string Label, TimeSpan Span)[] Periods =
        [("hour", "the last hour", TimeSpan.FromHours(1)), ("day", "the last day", TimeSpan.FromDays(1)), ("week", "the last week", TimeSpan.FromDays(7))];

    public static TaskBoardQuery Of(HttpRequest request) => new(
        request.Query["status"].ToString(),
        request.Query["workspace"].ToString().Trim(),
        request.Query["since"].ToString(),
        request.Query["from"].ToString(),
        request.Query["to"].ToString());

    /// <summary>The store's filter at <paramref name="now"/>, or the errors that prevent it (each naming its field).</summary>
    public (TaskFilter Filter, IReadOnlyList<string> Errors) ToFilter(DateTimeOffset now)
    {
        var errors = new List<string>();
        AgentTaskStatus? status = null;
        if (Status.Length > 0)
        {
            if (Statuses.Contains(Status))
            {
                status = WireName.Parse<AgentTaskStatus>(Status);
            }
            else
            {
                errors.Add($"Status must be one of {string.Join(", ", Statuses)}, not '{Status}'.");
            }
        }

        DateTimeOffset? from = null;
        if (Since.Length > 0)
        {
            if (Periods.FirstOrDefault(p => p.Value == Since) is { Value: not null } period)
            {
                from = now - period.Span;
            }
            else
            {
                errors.Add($"Created since must be hour, day or week, not '{Since}'.");
            }
        }

        var fromDay = Day(From, "From", errors);
        var toDay = Day(To, "To", errors);
        if (fromDay is { } start && (from is null || start > from))
        {
            from = start;
        }

        if (fromDay is { } first && toDay is { } last && last < first)
        {
            errors.Add("To must not be before From.");
        }

        return (new TaskFilter(status, Workspace.Length > 0 ? Workspace : null, from, toDay?.AddDays(1)), errors);
    }

    /// <summary>The query string that shows this board, for links that keep the filters.</summary>
    public string ToQueryString() => QueryString.Create(new Dictionary<string, string?>
    {
        ["status"] = Status,
        ["workspace"] = Workspace,
        ["since"] = Since,
        ["from"] = From,
        ["to"] = To,
    }.Where(p => p.Value!.Length > 0)).ToString();

    private static DateTimeOffset? Day(string text, string field, List<string> errors)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        errors.Add($"{field} must be a date as yyyy-mm-dd, not '{text}'.");
        return null;
    }
}
