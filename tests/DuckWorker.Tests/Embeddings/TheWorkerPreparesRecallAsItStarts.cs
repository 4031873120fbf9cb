using DuckWorker.Runtime.Stores;
using DuckWorker.Sqlite;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;
using DuckWorker.Testing.Processes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace DuckWorker.Tests.Embeddings;

/// <summary>
/// What the worker does with the stored memories as it starts, before any job: it says how many recall cannot
/// find (after <c>Memory:Embedder</c> or the embedding model changed, the old vectors are never compared with the
/// new ones: nothing fails, recall just finds less), and it has the SQLite store load its recall index, so that the
/// first job does not wait for it.
/// </summary>
public sealed class TheWorkerPreparesRecallAsItStarts(BrokerFixture broker) : IDisposable
{
    private const string Ours = "ollama/embedding-model";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string folder = Directory.CreateTempSubdirectory("duck-recall-at-start-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MemoriesWithoutAVectorOfItsEmbedderAreCounted()
    {
        await using var started = await StartOnAsync(
            Memory("ours", [0.6f, 0.8f], Ours),
            Memory("old model", [0.6f, 0.8f], "ollama/nomic-embed-text"),
            Memory("never embedded", null, null));
        await started.Worker.WaitForOutputAsync("have no vector of", Patience, Ct);

        var line = started.Worker.Output.Split('\n').Single(l => l.Contains("have no vector of", StringComparison.Ordinal));
        Assert.Contains("2 memories and 0 lessons have no vector of ollama/embedding-model", line, StringComparison.Ordinal);
        Assert.Contains("duck memories reembed", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRecallIndexIsLoadedBeforeAnyJobArrives()
    {
        await using var started = await StartOnAsync([.. Enumerable.Range(0, 50).Select(i => Memory($"m{i}", DeterministicEmbedding.Of($"fact {i}"), Ours))]);

        await started.Worker.WaitForOutputAsync("Recall is ready", Patience, Ct);

        Assert.Empty(started.Ollama.Embeds);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>A worker process on a store that holds <paramref name="memories"/>, its debug lines on.</summary>
    private async Task<Started> StartOnAsync(params MemoryRecord[] memories)
    {
        broker.SkipIfUnavailable();
        var ollama = await OllamaTestServer.StartAsync(Ct);
        var environment = WorkerEnvironment.For(broker.Uri!, broker.UniqueNames(), ollama.BaseUrl, folder, WorkerHarness.Models);
        environment["Logging__LogLevel__DuckWorker.Storage"] = "Debug";
        var store = new SqliteMemoryStore(new SqliteDatabase(Options.Create(new SqliteOptions { Path = environment["DUCK_Sqlite__Path"] })));
        foreach (var memory in memories)
        {
            await store.AddAsync(memory, Ct);
        }

        SqliteConnection.ClearAllPools();
        return new Started(ollama, WorkerProcess.Start(folder, environment));
    }

    private static MemoryRecord Memory(string id, float[]? embedding, string? embeddedBy) => new()
    {
        MemoryId = id,
        Workspace = "",
        Scope = "global",
        MemoryType = "fact",
        Text = $"the memory {id}",
        Importance = 0.5,
        Embedding = embedding,
        EmbeddedBy = embeddedBy,
        CreatedAt = DateTimeOffset.UtcNow,
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    private sealed record Started(OllamaTestServer Ollama, WorkerProcess Worker) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Worker.DisposeAsync();
            await Ollama.DisposeAsync();
        }
    }
}
