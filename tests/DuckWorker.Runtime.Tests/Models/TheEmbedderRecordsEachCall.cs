using DuckWorker.Runtime.Models;
using Microsoft.Extensions.AI;

namespace DuckWorker.Runtime.Tests.Models;

public sealed class TheEmbedderRecordsEachCall
{
    [Fact]
    public async Task AnAnsweredCallIsRecordedWithItsModelAndTheNumberOfTexts()
    {
        var recorder = new ModelCallRecorder();
        var embedder = new Embedder(new Generator(_ => new GeneratedEmbeddings<Embedding<float>>([new Embedding<float>(new float[] { 3, 4 })])), recorder, TimeProvider.System);
        var recorded = new List<ModelCall>();

        using (recorder.RecordTo((call, _) => { recorded.Add(call); return Task.CompletedTask; }))
        {
            var (vector, error) = await embedder.TryEmbedAsync("hello", TestContext.Current.CancellationToken);
            Assert.Null(error);
            Assert.Equal([0.6f, 0.8f], vector!);
        }

        var call = Assert.Single(recorded);
        Assert.Equal((ModelRoles.Embedding, "embed-model", 1), (call.Role, call.Model, call.Texts));
    }

    [Fact]
    public async Task AFailedCallIsNotRecordedAndAMissingModelKeepsItsAdvice()
    {
        var recorder = new ModelCallRecorder();
        var embedder = new Embedder(new Generator(_ => throw new ModelNotFoundException(ModelRoles.Embedding, "embed-model", "run `ollama pull embed-model`")), recorder, TimeProvider.System);
        var recorded = new List<ModelCall>();

        using (recorder.RecordTo((call, _) => { recorded.Add(call); return Task.CompletedTask; }))
        {
            var (vector, error) = await embedder.TryEmbedAsync("hello", TestContext.Current.CancellationToken);
            Assert.Null(vector);
            Assert.Equal("run `ollama pull embed-model`", error);
        }

        Assert.Empty(recorded);
    }

    [Fact]
    public void TheEmbedderIsNamedByItsGeneratorsProviderAndModel()
    {
        var answer = new GeneratedEmbeddings<Embedding<float>>();

        Assert.Equal("test/embed-model", new Embedder(new Generator(_ => answer), new ModelCallRecorder(), TimeProvider.System).Name);
        Assert.Equal("unknown/unknown", new Embedder(new Generator(_ => answer, metadata: false), new ModelCallRecorder(), TimeProvider.System).Name);
    }

    private sealed class Generator(Func<IReadOnlyList<string>, GeneratedEmbeddings<Embedding<float>>> answer, bool metadata = true) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(answer([.. values]));

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            metadata && serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("test", null, "embed-model") : null;

        public void Dispose()
        {
        }
    }
}
