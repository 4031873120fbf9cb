using DuckWorker.Runtime.Stores;
using DuckWorker.Sqlite;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;
using DuckWorker.Testing.Processes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace DuckWorker.Tests.Embeddings;

/// <summary>
/// After <c>Memory:Embedder</c> or the embedding model changed, the stored vectors of the old one are never
/// compared with the new one's: nothing fails, recall just finds less. The worker says so at start, with the
/// command that fixes it.
/// </summary>
public sealed class TheWorkerNamesWhatRecallCannotFind(BrokerFixture broker) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string folder = Directory.CreateTempSubdirectory("duck-reembed-reminder-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MemoriesWithoutAVectorOfItsEmbedderAreCountedAtStart()
    {
        broker.SkipIfUnavailable();
        await using var ollama = await OllamaTestServer.StartAsync(Ct);
        var environment = WorkerEnvironment.For(broker.Uri!, broker.UniqueNames(), ollama.BaseUrl, folder, WorkerHarness.Models);
        var memories = new SqliteMemoryStore(new SqliteDatabase(Options.Create(new SqliteOptions { Path = environment["DUCK_Sqlite__Path"] })));
        await memories.AddAsync(Memory("ours", [0.6f, 0.8f], "ollama/embedding-model"), Ct);
        await memories.AddAsync(Memory("old model", [0.6f, 0.8f], "ollama/nomic-embed-text"), Ct);
        await memories.AddAsync(Memory("never embedded", null, null), Ct);
        SqliteConnection.ClearAllPools();

        await using var worker = WorkerProcess.Start(folder, environment);
        await worker.WaitForOutputAsync("have no vector of", Patience, Ct);

        var line = worker.Output.Split('\n').Single(l => l.Contains("have no vector of", StringComparison.Ordinal));
        Assert.Contains("2 memories and 0 lessons have no vector of ollama/embedding-model", line, StringComparison.Ordinal);
        Assert.Contains("duck memories reembed", line, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

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
}
