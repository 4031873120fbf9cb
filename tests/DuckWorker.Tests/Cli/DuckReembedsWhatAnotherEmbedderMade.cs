using System.Text;
using DuckWorker.Cli;
using DuckWorker.Embeddings;
using DuckWorker.Runtime.Memory;
using DuckWorker.Runtime.Stores;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Tests.Cli;

/// <summary>
/// <c>duck memories reembed</c> on the worker's SQLite store, after <c>Memory:Embedder</c> changed from <c>ollama</c>
/// (the test server's word hashing) to <c>local</c>, the in-process model.
/// </summary>
public sealed class DuckReembedsWhatAnotherEmbedderMade
{
    private const string Ollama = "ollama/embedding-model";
    private const string Local = "local/" + LocalEmbeddingGenerator.ModelId;
    private const string Fact = "The deploy password is rotated every Thursday.";

    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheMemoriesAndLessonsOfOtherEmbeddersAreRecalledByMeaningAfterwards()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var (memories, experiences) = await SeedAsync(worker, memories: 6);
        var settings = Locally(worker);
        var localBefore = (await memories.GetAsync("already-local", Ct))!;

        var (exit, output, errors) = await Duck.RunAsync(settings, "", "memories", "reembed");

        Assert.True(exit == 0, errors);
        Assert.Contains($"Re-embedded 8 memories and 2 lessons with {Local}.", output, StringComparison.Ordinal);
        Assert.Contains($"Re-embedding with {Local}: 10 of 10", output, StringComparison.Ordinal);
        var all = await memories.ListAsync(null, null, 100, Ct);
        Assert.All(all, m => Assert.Equal((Local, LocalEmbeddingGenerator.Dimensions), (m.EmbeddedBy, m.Embedding?.Length)));
        var localAfter = (await memories.GetAsync("already-local", Ct))!;
        Assert.Equal(localBefore.Embedding!, localAfter.Embedding!);
        Assert.Equal(localBefore, localAfter with { Metadata = localBefore.Metadata, Embedding = localBefore.Embedding });
        var lesson = (await experiences.GetAsync("r-ollama", Ct))!;
        Assert.Equal((Local, LocalEmbeddingGenerator.Dimensions), (lesson.LessonEmbeddedBy, lesson.LessonEmbedding?.Length));
        Assert.Null((await experiences.GetAsync("r-no-lesson", Ct))!.LessonEmbedding);

        // A question in other words now finds its fact, as a job's would with Memory:Embedder=local.
        using var local = new LocalEmbeddingGenerator();
        var question = Vectors.Normalize((await local.GenerateAsync(["On which weekday do we change credentials?"], cancellationToken: Ct))[0].Vector.Span);
        Assert.Equal(Fact, (await memories.SearchAsync("/w", Local, question, 1, 0.3, Ct)).Single().Item.Text);

        var again = await Duck.RunAsync(settings, "", "memories", "reembed");
        Assert.Equal((0, $"Every memory and lesson has a vector of {Local} already.\n"), (again.Exit, again.Output));

        var everything = await Duck.RunAsync(settings, "", "memories", "reembed", "--all");
        Assert.Contains($"Re-embedded 9 memories and 2 lessons with {Local}.", everything.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInterruptedRunLeavesEachVectorWholeExits130AndTheNextGoesOn()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var (memories, _) = await SeedAsync(worker, memories: 20);
        var settings = Locally(worker);
        using var interrupt = new CancellationTokenSource();
        using var output = new InterruptingWriter($"Re-embedding with {Local}: 3 of 24", interrupt);
        using var errors = new StringWriter();

        var exit = await DuckCommandLine.RunAsync(["memories", "reembed"], output, errors, new StringReader(""), settings, interrupt.Token);

        Assert.True(exit == ExitCodes.Interrupted, $"exit {exit}: {output}{errors}");
        Assert.Equal("", errors.ToString());
        Assert.DoesNotContain("Exception", output.ToString(), StringComparison.Ordinal);
        var all = await memories.ListAsync(null, null, 100, Ct);
        Assert.All(all.Where(m => m.Embedding is not null), m => Assert.Equal(m.EmbeddedBy == Local ? LocalEmbeddingGenerator.Dimensions : DeterministicEmbedding.Dimensions, m.Embedding!.Length));
        Assert.Equal(4, all.Count(m => m.EmbeddedBy == Local));

        var (next, rest, failures) = await Duck.RunAsync(settings, "", "memories", "reembed");

        Assert.True(next == 0, failures);
        Assert.Contains($"Re-embedded 19 memories and 2 lessons with {Local}.", rest, StringComparison.Ordinal);
        Assert.All(await memories.ListAsync(null, null, 100, Ct), m => Assert.Equal(Local, m.EmbeddedBy));
    }

    [Fact]
    public async Task TheTextsGoToTheModelThirtyTwoAtATimeAndEachGetsItsOwnVector()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var (memories, experiences) = await SeedAsync(worker, memories: 40);
        var calls = worker.Ollama.Embeds.Count;

        var (exit, output, errors) = await Duck.RunAsync(worker.Settings, "", "memories", "reembed", "--all");

        Assert.True(exit == 0, errors);
        Assert.Contains($"Re-embedded 43 memories and 2 lessons with {Ollama}.", output, StringComparison.Ordinal);

        // The first text settles the embedder; then the memories in two calls, the lessons in one.
        Assert.Equal([1, 32, 11, 2], worker.Ollama.Embeds.Skip(calls).Select(e => e.Inputs.Count));
        Assert.All(await memories.ListAsync(null, null, 100, Ct), m => Assert.True(
            m.EmbeddedBy == Ollama && Vectors.Similarity(m.Embedding, DeterministicEmbedding.Of(m.Text)) > 0.9999,
            $"{m.MemoryId} has a vector of {m.EmbeddedBy} that is not its text's"));
        Assert.True(Vectors.Similarity((await experiences.GetAsync("r-no-vector", Ct))!.LessonEmbedding, DeterministicEmbedding.Of("Run the tests twice.")) > 0.9999);
    }

    [Fact]
    public async Task ATextTheModelCannotEmbedIsNamedAfterTheBatchesBeforeItWereWritten()
    {
        await using var worker = await WorkerHarness.StartAsync();
        await SeedAsync(worker, memories: 40);
        worker.Ollama.FailsToEmbed = inputs => inputs.Any(text => text.Contains("number 35 ", StringComparison.Ordinal));

        var (exit, output, errors) = await Duck.RunAsync(worker.Settings, "", "memories", "reembed", "--all");

        // already-local and m00 to m30 went in the first call (ids in order); the second failed as a whole, and each
        // of its texts was tried alone (a failed call tried again as Ollama:MaxRetries allows) up to the one the model
        // cannot embed.
        Assert.True(exit != 0, output);
        Assert.Contains("Memory m35 could not be embedded: ", errors, StringComparison.Ordinal);
        Assert.Contains("32 of 45 were re-embedded; run `duck memories reembed` again to go on.", errors, StringComparison.Ordinal);
        Assert.Equal(["m31", "m32", "m33", "m34", "m35"], worker.Ollama.Embeds.Where(e => e.Inputs.Count == 1).Skip(1).Select(e => "m" + e.Inputs[0].Split(' ')[2]).Distinct());
    }

    /// <summary>
    /// Memories made by Ollama (<paramref name="memories"/> of them, the first the <see cref="Fact"/>), one without
    /// a vector, one of an unknown embedder, one already local; a lesson made by Ollama, one without a vector, a
    /// record without a lesson.
    /// </summary>
    private static async Task<(IMemoryStore Memories, IExperienceStore Experiences)> SeedAsync(WorkerHarness worker, int memories)
    {
        var store = worker.Services.GetRequiredService<IMemoryStore>();
        var experiences = worker.Services.GetRequiredService<IExperienceStore>();
        MemoryRecord Memory(string id, string text, float[]? vector, string? embeddedBy) => new()
        {
            MemoryId = id,
            Workspace = "/w",
            Scope = "workspace",
            MemoryType = "fact",
            Text = text,
            CreatedAt = Now,
            UpdatedAt = Now,
            Embedding = vector,
            EmbeddedBy = embeddedBy,
        };
        for (var i = 0; i < memories; i++)
        {
            var text = i == 0 ? Fact : $"Duck number {i} likes pond number {i * 7}.";
            await store.AddAsync(Memory($"m{i:D2}", text, DeterministicEmbedding.Of(text), Ollama), Ct);
        }

        await store.AddAsync(Memory("no-vector", "The shed key hangs by the door.", null, null), Ct);
        await store.AddAsync(Memory("unknown", "Ducks sleep standing on one leg.", DeterministicEmbedding.Of("legacy"), EmbedderName.Unknown), Ct);
        using var local = new LocalEmbeddingGenerator();
        var vector = Vectors.Normalize((await local.GenerateAsync(["Bread is bad for ducks."], cancellationToken: Ct))[0].Vector.Span);
        await store.AddAsync(Memory("already-local", "Bread is bad for ducks.", vector, Local), Ct);

        ExperienceRecord Record(string id, string? lesson, float[]? embedding) => new()
        {
            RecordId = id,
            TaskId = "t-" + id,
            Workspace = "/w",
            Summary = "did " + id,
            Outcome = "success",
            ReusableLesson = lesson,
            CreatedAt = Now,
            LessonEmbedding = embedding,
            LessonEmbeddedBy = embedding is null ? null : Ollama,
        };
        await experiences.AddAsync(Record("r-ollama", "Read the lock file before upgrading.", DeterministicEmbedding.Of("Read the lock file before upgrading.")), Ct);
        await experiences.AddAsync(Record("r-no-vector", "Run the tests twice.", null), Ct);
        await experiences.AddAsync(Record("r-no-lesson", null, null), Ct);
        return (store, experiences);
    }

    private static Dictionary<string, string?> Locally(WorkerHarness worker) =>
        new(worker.Settings) { ["Memory:Embedder"] = "local" };

    /// <summary>Stands for Ctrl+C pressed once <paramref name="line"/> was written: the command is cancelled there.</summary>
    private sealed class InterruptingWriter(string line, CancellationTokenSource interrupt) : StringWriter
    {
        public override void Write(string? value)
        {
            base.Write(value);
            if (ToString().Contains(line, StringComparison.Ordinal))
            {
                interrupt.Cancel();
            }
        }

        public override void Write(char value)
        {
            base.Write(value);
            if (value == '\n' && ToString().Contains(line, StringComparison.Ordinal))
            {
                interrupt.Cancel();
            }
        }
    }
}
