using System.Collections.Immutable;

namespace DuckWorker.Policy.Judging;

/// <summary>The values a shell variable may hold at some point of the command line, as far as the policy can tell.</summary>
internal sealed record VariableValues(ImmutableHashSet<string> Candidates, FieldOrigin Origin)
{
    public const int MaximumCandidates = 8;

    public static VariableValues Unknown { get; } = new([Sentinel.Unknown.ToString()], FieldOrigin.Literal);

    public static VariableValues Of(IEnumerable<string> candidates, FieldOrigin origin)
    {
        var set = candidates.ToImmutableHashSet();
        return set.Count is 0 or > MaximumCandidates ? Unknown with { Origin = origin } : new VariableValues(set, origin);
    }

    public VariableValues Union(VariableValues other) => Of(Candidates.Union(other.Candidates), Origin | other.Origin);

    public bool Equals(VariableValues? other) => other is not null && Origin == other.Origin && Candidates.SetEquals(other.Candidates);

    public override int GetHashCode() => HashCode.Combine(Origin, Candidates.Count);
}
