namespace DuckWorker.Runtime.Stores;

/// <summary>A search result and its similarity to the query, from -1 to 1.</summary>
public sealed record Scored<T>(T Item, double Score);
