namespace DuckWorker.Testing.Ollama;

/// <summary>
/// Embeddings without a model: each word is hashed into one of <see cref="Dimensions"/> buckets and the
/// vector normalized, so texts that share words are similar and unrelated texts are nearly orthogonal.
/// </summary>
public static class DeterministicEmbedding
{
    public const int Dimensions = 256;

    public static float[] Of(string text)
    {
        var vector = new float[Dimensions];
        foreach (var word in text.ToLowerInvariant().Split((char[])[' ', '\t', '\n', '.', ',', ';', ':', '!', '?', '"', '\'', '(', ')'], StringSplitOptions.RemoveEmptyEntries))
        {
            var hash = 2166136261u;
            foreach (var c in word)
            {
                hash = (hash ^ c) * 16777619u;
            }

            vector[hash % Dimensions] += 1;
        }

        var length = MathF.Sqrt(vector.Sum(v => v * v));
        return length == 0 ? vector : [.. vector.Select(v => v / length)];
    }
}
