using System.Diagnostics;
using DuckWorker.Runtime.Memory;
using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;

namespace DuckWorker.Tests.Embeddings;

/// <summary>
/// How well one embedder recalls <see cref="RecallQualityCases"/>: every fact and distractor stored in a worker's
/// SQLite store with its vector, then each question recalled through <see cref="MemoryRecall"/>, as a job's is.
/// </summary>
/// <param name="AtOne">The share of questions whose fact is recalled first.</param>
/// <param name="AtFive">The share of questions whose fact is among the first five.</param>
/// <param name="Misses">The questions whose fact is not recalled first, with what was.</param>
internal sealed record RecallQuality(string Name, double AtOne, double AtFive, TimeSpan FirstText, TimeSpan PerText, IReadOnlyList<string> Misses)
{
    private const string Workspace = "quality";

    public static async Task<RecallQuality> MeasureAsync(string name, string embedder, CancellationToken cancellationToken)
    {
        await using var worker = await WorkerHarness.StartAsync(new Dictionary<string, string?>
        {
            ["Memory:Embedder"] = embedder,
            ["Memory:RecallTopK"] = "5",
            ["Memory:MinScore"] = "-1",
            ["Memory:RecallBudget"] = "100000",
        });
        var embed = worker.Services.GetRequiredService<Embedder>();
        var memories = worker.Services.GetRequiredService<IMemoryStore>();
        var recall = worker.Services.GetRequiredService<MemoryRecall>();

        // The first text loads the model; the others show what one text costs.
        var clock = Stopwatch.StartNew();
        var texts = RecallQualityCases.Facts.Select(c => c.Fact).Concat(RecallQualityCases.Distractors).ToList();
        var firstText = TimeSpan.Zero;
        foreach (var (text, index) in texts.Select((t, i) => (t, i)))
        {
            var (vector, error) = await embed.TryEmbedAsync(text, cancellationToken);
            Assert.True(vector is not null, error);
            firstText = index == 0 ? clock.Elapsed : firstText;
            var now = DateTimeOffset.UtcNow;
            await memories.AddAsync(new MemoryRecord { MemoryId = $"m{index}", Workspace = Workspace, Scope = "workspace", MemoryType = "fact", Text = text, Embedding = vector, EmbeddedBy = embed.Name, CreatedAt = now, UpdatedAt = now }, cancellationToken);
        }

        var perText = (clock.Elapsed - firstText) / (texts.Count - 1);
        int atOne = 0, atFive = 0;
        var misses = new List<string>();
        foreach (var (fact, question) in RecallQualityCases.Facts)
        {
            var recalled = (await recall.RecallAsync(question, Workspace, cancellationToken)).Memories.Select(m => m.Item.Text).ToList();
            var rank = recalled.IndexOf(fact);
            atOne += rank == 0 ? 1 : 0;
            atFive += rank >= 0 ? 1 : 0;
            if (rank != 0)
            {
                misses.Add($"\"{question}\" -> \"{recalled.FirstOrDefault()}\" (the fact is {(rank < 0 ? "not in the first five" : $"at {rank + 1}")})");
            }
        }

        double count = RecallQualityCases.Facts.Length;
        return new RecallQuality(name, atOne / count, atFive / count, firstText, perText, misses);
    }

    public override string ToString() =>
        $"{Name}: recall@1 {AtOne:P1}, recall@5 {AtFive:P1} ({RecallQualityCases.Facts.Length} questions, {RecallQualityCases.Facts.Length + RecallQualityCases.Distractors.Length} memories); "
        + $"first text {FirstText.TotalMilliseconds:F0} ms, then {PerText.TotalMilliseconds:F1} ms per text embedded and stored"
        + string.Concat(Misses.Select(m => "\n  missed: " + m));
}
