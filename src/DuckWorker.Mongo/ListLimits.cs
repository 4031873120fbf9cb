using MongoDB.Driver;

namespace DuckWorker.Mongo;

/// <summary>
/// A listing's limit as SQLite's <c>LIMIT</c> reads it, which the store contract holds both stores to: 0 lists
/// nothing, a negative limit lists everything. MongoDB reads 0 as "no limit", a negative one as "one batch of
/// that many", and refuses either in a <c>$limit</c> stage; so 0 is answered before asking, and a negative
/// limit is not sent.
/// </summary>
internal static class ListLimits
{
    public static bool ListsNothing(int limit) => limit == 0;

    public static IFindFluent<TDocument, TProjection> LimitedTo<TDocument, TProjection>(this IFindFluent<TDocument, TProjection> find, int limit) =>
        limit < 0 ? find : find.Limit(limit);

    public static IAggregateFluent<TResult> LimitedTo<TResult>(this IAggregateFluent<TResult> aggregate, int limit) =>
        limit < 0 ? aggregate : aggregate.Limit(limit);
}
