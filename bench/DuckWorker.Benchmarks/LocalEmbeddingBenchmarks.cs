using BenchmarkDotNet.Attributes;
using DuckWorker.Embeddings;
using DuckWorker.Runtime.Memory;
using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;
using DuckWorker.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DuckWorker.Benchmarks;

/// <summary>
/// The in-process embedding model (<c>Memory:Embedder = local</c>, all-MiniLM-L6-v2, 384 dimensions) as the worker
/// wires it: the time to encode one text, and a job's recall end to end (its message encoded, then the closest
/// memories and lessons of that embedder found among <see cref="Memories"/> in the SQLite store).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class LocalEmbeddingBenchmarks
{
    private const string Workspace = "/bench/workspace";

    private const string Sentence = "On which weekday do we change credentials?";

    private const string Paragraph =
        "Deploys go out on Tuesdays after the integration tests pass on the staging cluster. The release notes are "
        + "written by whoever merged the last feature, and the on-call engineer watches the dashboards for an hour "
        + "afterwards. If the error rate doubles, the deploy is rolled back at once and the team meets the next morning.";

    private string folder = "";
    private ServiceProvider services = null!;
    private Embedder embedder = null!;
    private MemoryRecall recall = null!;

    [Params(1_000, 10_000)]
    public int Memories { get; set; }

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        // The embedding role as the worker registers it for Memory:Embedder=local.
        services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Memory:Embedder"] = "local" }).Build())
            .AddLogging()
            .AddDuckEmbeddings()
            .BuildServiceProvider();
        embedder = new Embedder(
            services.GetRequiredKeyedService<IEmbeddingGenerator<string, Embedding<float>>>(ModelRoles.Embedding),
            new ModelCallRecorder(),
            TimeProvider.System);

        // Loads the model: the first text's cost, once per process, is not what these measure.
        var (probe, error) = await embedder.TryEmbedAsync(Sentence, CancellationToken.None);
        var dimensions = probe?.Length ?? throw new InvalidOperationException(error);

        folder = Directory.CreateTempSubdirectory("duck-bench-local-").FullName;
        var database = new SqliteDatabase(Options.Create(new SqliteOptions { Path = Path.Join(folder, "bench.db") }));
        var memories = new SqliteMemoryStore(database);
        await memories.GetAsync("creates-the-schema", CancellationToken.None);
        await FillAsync(database.FilePath, dimensions, embedder.Name);

        // Every memory counts (min score -1), so the five best are read in full each time, as a job's recall would.
        recall = new MemoryRecall(
            memories,
            new SqliteExperienceStore(database),
            embedder,
            Options.Create(new MemoryOptions { MinScore = -1, RecallTopK = 5, LessonTopK = 3, RecallBudget = 2000 }));
    }

    [GlobalCleanup]
    public async Task CleanUpAsync()
    {
        await services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Benchmark]
    public Task<(float[]? Vector, string? Error)> EncodeSentence() => embedder.TryEmbedAsync(Sentence, CancellationToken.None);

    [Benchmark]
    public Task<(float[]? Vector, string? Error)> EncodeParagraph() => embedder.TryEmbedAsync(Paragraph, CancellationToken.None);

    [Benchmark]
    public Task<Recalled> RecallEndToEnd() => recall.RecallAsync(Sentence, Workspace, CancellationToken.None);

    /// <summary><see cref="Memories"/> memories and a tenth as many lessons, with random unit vectors of the embedder.</summary>
    private async Task FillAsync(string path, int dimensions, string embeddedBy)
    {
        var random = new Random(42);
        var at = DateTimeOffset.UtcNow.ToString("O");
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var memory = connection.CreateCommand();
        memory.CommandText = """
            INSERT INTO memories (memory_id, workspace, scope, memory_type, text, importance, metadata, task_id, created_at, updated_at, embedding, embedded_by)
            VALUES ($id, $workspace, 'workspace', 'fact', $text, 0.5, '{}', NULL, $at, $at, $embedding, $embedded_by);
            """;
        await using var lesson = connection.CreateCommand();
        lesson.CommandText = """
            INSERT INTO experiences (record_id, task_id, workspace, summary, outcome, reusable_lesson, created_at, lesson_embedding, lesson_embedded_by)
            VALUES ($id, $id, $workspace, 'did it', 'success', $text, $at, $embedding, $embedded_by);
            """;
        foreach (var (command, count) in new[] { (memory, Memories), (lesson, Memories / 10) })
        {
            var id = command.Parameters.Add("$id", SqliteType.Text);
            var text = command.Parameters.Add("$text", SqliteType.Text);
            var embedding = command.Parameters.Add("$embedding", SqliteType.Blob);
            command.Parameters.AddWithValue("$workspace", Workspace);
            command.Parameters.AddWithValue("$at", at);
            command.Parameters.AddWithValue("$embedded_by", embeddedBy);
            for (var i = 0; i < count; i++)
            {
                id.Value = $"x{i:D6}";
                text.Value = $"remembered thing number {i}";
                embedding.Value = SqliteCommands.Blob(RandomUnit(random, dimensions));
                await command.ExecuteNonQueryAsync();
            }
        }

        await transaction.CommitAsync();
    }

    private static float[] RandomUnit(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return Vectors.Normalize(vector);
    }
}
