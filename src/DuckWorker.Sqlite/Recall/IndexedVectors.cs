namespace DuckWorker.Sqlite.Recall;

/// <summary>
/// The vectors of the memories (or of the lessons), grouped by embedder and dimension (only vectors of one group are
/// ever compared), and where each one's vector lies. Not thread-safe: <see cref="VectorIndex"/> guards it.
/// </summary>
internal sealed class IndexedVectors
{
    /// <summary>The number of a workspace this index has never seen: only global memories match it.</summary>
    private const int UnknownWorkspace = -3;

    /// <summary>Per memory beside its vector, roughly: a dictionary entry and its bucket (48) and an id string's header (24).</summary>
    private const int BytesPerMemory = 72;

    private readonly Dictionary<(string Embedder, int Dimensions), VectorGroup> groups = [];
    private readonly Dictionary<string, (VectorGroup Group, int Slot)> places = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> workspaces = new(StringComparer.Ordinal);
    private long idChars;

    /// <summary>Whether a group holds more free slots than memories: a reload packs them and gives the rest back.</summary>
    public bool IsSparse => groups.Values.Any(group => group.IsMostlyFree);

    /// <summary>The memory it holds, roughly: the groups' chunks, the memories' ids and where each lies.</summary>
    public long Bytes => groups.Values.Sum(group => group.Bytes) + (places.Count * (long)BytesPerMemory) + (idChars * sizeof(char));

    /// <summary>Indexes a memory's vector, or forgets it when the memory has none.</summary>
    public void Put(string id, string workspace, bool global, string embedder, ReadOnlySpan<float> vector)
    {
        if (vector.IsEmpty)
        {
            Remove(id);
            return;
        }

        var owner = global ? VectorGroup.Global : Number(workspace);
        if (places.TryGetValue(id, out var place))
        {
            if (place.Group.Embedder == embedder && place.Group.Dimensions == vector.Length)
            {
                place.Group.Set(place.Slot, owner, vector);
                return;
            }

            Remove(id);
        }

        if (!groups.TryGetValue((embedder, vector.Length), out var group))
        {
            group = new VectorGroup(embedder, vector.Length);
            groups.Add((embedder, vector.Length), group);
        }

        places.Add(id, (group, group.Add(id, owner, vector)));
        idChars += id.Length;
    }

    public void Remove(string id)
    {
        if (!places.Remove(id, out var place))
        {
            return;
        }

        idChars -= id.Length;
        place.Group.Remove(place.Slot);
        if (place.Group.Count == 0)
        {
            // The last vector of an embedder that is no longer used: its chunks go with it.
            groups.Remove((place.Group.Embedder, place.Group.Dimensions));
        }
    }

    /// <summary>
    /// The ids of (at most) <paramref name="count"/> memories of <paramref name="workspace"/> and global ones,
    /// made by <paramref name="embedder"/> with <paramref name="query"/>'s dimension, whose quantized vectors are
    /// closest to it; in no particular order.
    /// </summary>
    public List<string> Nearest(string embedder, string workspace, ReadOnlySpan<float> query, int count)
    {
        if (count <= 0 || !groups.TryGetValue((embedder, query.Length), out var group))
        {
            return [];
        }

        var quantized = new sbyte[query.Length];
        QuantizedVector.Quantize(query, quantized);
        var best = new PriorityQueue<string, float>(Math.Min(count, group.Count));
        group.Rank(quantized, workspaces.GetValueOrDefault(workspace, UnknownWorkspace), count, best);
        return [.. best.UnorderedItems.Select(item => item.Element)];
    }

    private int Number(string workspace)
    {
        if (!workspaces.TryGetValue(workspace, out var number))
        {
            number = workspaces.Count;
            workspaces.Add(workspace, number);
        }

        return number;
    }
}
