using DuckWorker.Runtime.Stores;
using DuckWorker.Sqlite;
using DuckWorker.Testing.Broker;
using DuckWorker.Testing.Ollama;
using DuckWorker.Testing.Processes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace DuckWorker.Tests.Storage;

/// <summary>
/// The SQLite store reads every memory's vector into its recall index on its first search; the worker has it do
/// so as it starts, so that its first job does not wait for it.
/// </summary>
public sealed class TheWorkerLoadsItsRecallIndexAtStart(BrokerFixture broker) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string folder = Directory.CreateTempSubdirectory("duck-recall-warm-up-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheIndexIsLoadedBeforeAnyJobArrives()
    {
        broker.SkipIfUnavailable();
        await using var ollama = await OllamaTestServer.StartAsync(Ct);
        var environment = WorkerEnvironment.For(broker.Uri!, broker.UniqueNames(), ollama.BaseUrl, folder, WorkerHarness.Models);
        environment["Logging__LogLevel__DuckWorker.Storage"] = "Debug";
        var memories = new SqliteMemoryStore(new SqliteDatabase(Options.Create(new SqliteOptions { Path = environment["DUCK_Sqlite__Path"] })));
        for (var i = 0; i < 50; i++)
        {
            await memories.AddAsync(
                new MemoryRecord
                {
                    MemoryId = $"m{i}",
                    Workspace = "",
                    Scope = "global",
                    MemoryType = "fact",
                    Text = $"fact {i}",
                    Importance = 0.5,
                    Embedding = DeterministicEmbedding.Of($"fact {i}"),
                    EmbeddedBy = "ollama/embedding-model",
                    CreatedAt = DateTimeOffset.UtcNow,
                    UpdatedAt = DateTimeOffset.UtcNow,
                },
                Ct);
        }

        SqliteConnection.ClearAllPools();

        await using var worker = WorkerProcess.Start(folder, environment);
        await worker.WaitForOutputAsync("Recall is ready", Patience, Ct);

        Assert.Empty(ollama.Embeds);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
