namespace DuckWorker.Sqlite.Recall;

/// <summary>
/// The quantized vectors of one embedder and dimension, those that may be compared with each other. They lie in
/// chunks of a fixed number of slots, so that growing never copies what is there; a forgotten memory's slot is
/// reused by the next one. Not thread-safe: <see cref="VectorIndex"/> guards it.
/// </summary>
internal sealed class VectorGroup(string embedder, int dimensions)
{
    /// <summary>The owner of a slot that holds no memory.</summary>
    public const int Free = -1;

    /// <summary>The owner of a global memory's slot, which every workspace recalls.</summary>
    public const int Global = -2;

    private const int SlotsPerChunk = 1024;

    private readonly List<Chunk> chunks = [];
    private readonly Stack<int> freeSlots = new();
    private int slotsUsed;

    public string Embedder => embedder;

    public int Dimensions => dimensions;

    public int Count => slotsUsed - freeSlots.Count;

    /// <summary>Whether more slots wait for reuse than hold memories (and more than a chunk's worth): after many were forgotten.</summary>
    public bool IsMostlyFree => freeSlots.Count > Math.Max(Count, SlotsPerChunk);

    /// <summary>The bytes its chunks hold: the vectors, and per slot a scale, an owner and a reference to the memory's id.</summary>
    public long Bytes => (long)chunks.Count * SlotsPerChunk * (dimensions + sizeof(float) + sizeof(int) + IntPtr.Size);

    /// <summary>Stores a memory's vector; <paramref name="owner"/> is its workspace's number or <see cref="Global"/>. Returns its slot.</summary>
    public int Add(string memoryId, int owner, ReadOnlySpan<float> vector)
    {
        if (!freeSlots.TryPop(out var slot))
        {
            slot = slotsUsed++;
            if (slot / SlotsPerChunk == chunks.Count)
            {
                chunks.Add(new Chunk(dimensions));
            }
        }

        chunks[slot / SlotsPerChunk].Ids[slot % SlotsPerChunk] = memoryId;
        Set(slot, owner, vector);
        return slot;
    }

    public void Set(int slot, int owner, ReadOnlySpan<float> vector)
    {
        var chunk = chunks[slot / SlotsPerChunk];
        var index = slot % SlotsPerChunk;
        chunk.Scales[index] = QuantizedVector.Quantize(vector, chunk.Vectors.AsSpan(index * dimensions, dimensions));
        chunk.Owners[index] = owner;
    }

    public void Remove(int slot)
    {
        var chunk = chunks[slot / SlotsPerChunk];
        chunk.Owners[slot % SlotsPerChunk] = Free;
        chunk.Ids[slot % SlotsPerChunk] = null;
        freeSlots.Push(slot);
    }

    /// <summary>
    /// Scores, by the quantized vectors, every memory of workspace number <paramref name="workspace"/> and every
    /// global one against <paramref name="query"/>, keeping the best in <paramref name="best"/> (at most
    /// <paramref name="count"/>, the worst on top). The scores are proportional to the similarity, not equal to it.
    /// </summary>
    public void Rank(ReadOnlySpan<sbyte> query, int workspace, int count, PriorityQueue<string, float> best)
    {
        var worst = float.NegativeInfinity;
        for (var c = 0; c < chunks.Count; c++)
        {
            var chunk = chunks[c];
            var slots = Math.Min(SlotsPerChunk, slotsUsed - (c * SlotsPerChunk));
            for (var index = 0; index < slots; index++)
            {
                var owner = chunk.Owners[index];
                if (owner != workspace && owner != Global)
                {
                    continue;
                }

                var score = Int8Dot.Dot(chunk.Vectors.AsSpan(index * dimensions, dimensions), query) * chunk.Scales[index];
                if (best.Count < count)
                {
                    best.Enqueue(chunk.Ids[index]!, score);
                }
                else if (score > worst)
                {
                    best.DequeueEnqueue(chunk.Ids[index]!, score);
                }
                else
                {
                    continue;
                }

                if (best.Count == count)
                {
                    best.TryPeek(out _, out worst);
                }
            }
        }
    }

    private sealed class Chunk
    {
        public Chunk(int dimensions)
        {
            Vectors = new sbyte[SlotsPerChunk * dimensions];
            Array.Fill(Owners, Free);
        }

        public sbyte[] Vectors { get; }

        public float[] Scales { get; } = new float[SlotsPerChunk];

        public int[] Owners { get; } = new int[SlotsPerChunk];

        public string?[] Ids { get; } = new string?[SlotsPerChunk];
    }
}
