using System.Diagnostics;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>
/// Where a job's time went, one job at a time, as the Ollama-protocol server saw it (medians over the jobs):
/// from the job's publish to its first model request (the job's way through the broker, the worker's steps before
/// that call, the request's way to the server), the server's own answering of the job's calls, the time between
/// a reply and the next request (the reply's way back, the worker's steps, the next request's way), and from the
/// last reply to the outcome's arrival (the worker's last steps and the outcome's way through the broker).
/// </summary>
internal sealed record OverheadParts(double ToFirstRequestMs, double ServingMs, double BetweenCallsMs, double AfterLastReplyMs)
{
    public static OverheadParts Of(IEnumerable<(long Published, long Arrived, List<ServedCall> Calls)> jobs)
    {
        var parts = jobs.Where(j => j.Calls.Count > 0).Select(j => new OverheadParts(
            Ms(j.Published, j.Calls[0].Began),
            j.Calls.Sum(c => Ms(c.Began, c.Ended)),
            j.Calls.Skip(1).Select((next, i) => Ms(j.Calls[i].Ended, next.Began)).Sum(),
            Ms(j.Calls[^1].Ended, j.Arrived))).ToList();
        return new OverheadParts(
            Spread.Of(parts.Select(p => p.ToFirstRequestMs)).Median,
            Spread.Of(parts.Select(p => p.ServingMs)).Median,
            Spread.Of(parts.Select(p => p.BetweenCallsMs)).Median,
            Spread.Of(parts.Select(p => p.AfterLastReplyMs)).Median);
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}
