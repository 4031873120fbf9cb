using System.Collections.Concurrent;

namespace DuckWorker.Mongo;

/// <summary>
/// Whether Atlas <c>$vectorSearch</c> is used for a collection: its index is checked on first use, and a check or
/// a search that fails pauses Atlas for that collection only, for 30 s doubling up to 10 min, after which the
/// index is checked again. A failover's passing error or an index still building is not the end of Atlas search.
/// </summary>
internal sealed class AtlasAvailability(TimeProvider time)
{
    public static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan LongestPause = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, State> states = new(StringComparer.Ordinal);

    public enum Step
    {
        /// <summary>Not known to work: ask whether the index exists and answers.</summary>
        CheckIndex,

        UseAtlas,

        /// <summary>Paused after a failure: rank in process.</summary>
        RankInProcess,
    }

    public Step Next(string collection) => states.TryGetValue(collection, out var state) switch
    {
        false => Step.CheckIndex,
        true when state.Pause is null => Step.UseAtlas,
        true when time.GetUtcNow() >= state.RetryAt => Step.CheckIndex,
        true => Step.RankInProcess,
    };

    /// <summary>The index answers; true when Atlas was paused for the collection until now.</summary>
    public bool MarkReady(string collection)
    {
        var wasPaused = states.TryGetValue(collection, out var previous) && previous.Pause is not null;
        states[collection] = new State(null, default);
        return wasPaused;
    }

    /// <summary>Pauses Atlas for the collection, twice as long as last time; returns how long.</summary>
    public TimeSpan Pause(string collection)
    {
        var updated = states.AddOrUpdate(
            collection,
            static (_, now) => new State(FirstPause, now + FirstPause),
            static (_, previous, now) =>
            {
                var pause = previous.Pause is { } last ? TimeSpan.FromTicks(Math.Min(last.Ticks * 2, LongestPause.Ticks)) : FirstPause;
                return new State(pause, now + pause);
            },
            time.GetUtcNow());
        return updated.Pause!.Value;
    }

    /// <summary>A null pause means the index answers.</summary>
    private sealed record State(TimeSpan? Pause, DateTimeOffset RetryAt);
}
