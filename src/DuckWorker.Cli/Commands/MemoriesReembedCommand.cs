using System.CommandLine;
using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// <c>duck memories reembed [--all]</c>: after <c>Memory:Embedder</c> (or the embedding model) changed, gives the
/// memories and lessons whose vectors another embedder made, or that have none, a vector of the current one, so
/// that recall finds them again. The texts go to the model <see cref="BatchSize"/> at a time, and each vector is
/// written on its own, so an interrupted run leaves every memory with its old vector or its new one, and the next
/// run goes on with those left.
/// </summary>
internal static class MemoriesReembedCommand
{
    /// <summary>Texts per call to the embedding model: a few round trips for many memories, and a model that computes them together.</summary>
    private const int BatchSize = 32;

    public static Command Create(Func<ParseResult, CliContext> configure)
    {
        var all = new Option<bool>("--all")
        {
            Description = "Every memory and lesson, also those the current embedder made (its model changed under the same name); run again, it starts over.",
        };
        var command = new Command("reembed", "Re-embed the memories and lessons that another embedder made (Memory:Embedder changed), so that recall finds them again.") { all };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            var services = cli.Agent();
            var embedder = services.GetRequiredService<Embedder>();
            var memories = services.GetRequiredService<IMemoryStore>();
            var experiences = services.GetRequiredService<IExperienceStore>();

            // The first text settles which embedder this is: Ollama's may fall back to the in-process model on it.
            var (probe, error) = await embedder.TryEmbedAsync("duck", cancellationToken);
            if (probe is null)
            {
                throw new CliException($"Nothing was re-embedded: {error}");
            }

            var embeddedBy = embedder.Name;
            var others = parse.GetValue(all) ? null : embeddedBy;
            var memoryIds = await memories.ListIdsNotEmbeddedByAsync(others, cancellationToken);
            var lessonIds = await experiences.ListLessonIdsNotEmbeddedByAsync(others, cancellationToken);
            var total = memoryIds.Count + lessonIds.Count;
            if (total == 0)
            {
                cli.Console.WriteLine($"Every memory and lesson has a vector of {embeddedBy} already.");
                return ExitCodes.Success;
            }

            cli.Console.WriteLine($"Re-embedding {memoryIds.Count} memories and {lessonIds.Count} lessons with {embeddedBy}.");
            var done = 0;
            var left = 0;

            async Task<float[]> EmbedAsync(string text, string what)
            {
                var (vector, failed) = await embedder.TryEmbedAsync(text, cancellationToken);
                return vector ?? throw new CliException($"{what} could not be embedded: {failed}\n{done} of {total} were re-embedded; run `duck memories reembed` again to go on.");
            }

            async Task<IReadOnlyList<float[]>> EmbedAllAsync(List<(string Id, string Text)> texts, Func<string, string> what)
            {
                if (texts.Count == 0)
                {
                    return [];
                }

                if ((await embedder.TryEmbedAsync([.. texts.Select(t => t.Text)], cancellationToken)).Vectors is { } vectors)
                {
                    return vectors;
                }

                // Which text the model could not embed: each again on its own, so that the error names it.
                var one = new List<float[]>(texts.Count);
                foreach (var (id, text) in texts)
                {
                    one.Add(await EmbedAsync(text, what(id)));
                }

                return one;
            }

            // Up to BatchSize texts go to the model in one call; each vector is still written on its own.
            async Task ReembedAllAsync(IReadOnlyList<string> ids, Func<string, Task<string?>> textOf, Func<string, string, float[], Task<bool>> write, Func<string, string> what, Action advanced)
            {
                foreach (var batch in ids.Chunk(BatchSize))
                {
                    var texts = new List<(string Id, string Text)>(batch.Length);
                    foreach (var id in batch)
                    {
                        if (await textOf(id) is { } text)
                        {
                            texts.Add((id, text));
                        }
                        else
                        {
                            // Forgotten (or, a lesson, taken back) since it was listed.
                            left++;
                            done++;
                            advanced();
                        }
                    }

                    var vectors = await EmbedAllAsync(texts, what);
                    for (var i = 0; i < texts.Count; i++)
                    {
                        // False: changed (and so re-embedded by the worker) or forgotten since it was read.
                        left += await write(texts[i].Id, texts[i].Text, vectors[i]) ? 0 : 1;
                        done++;
                        advanced();
                    }
                }
            }

            async Task ReembedAsync(Action advanced)
            {
                await ReembedAllAsync(
                    memoryIds,
                    async id => (await memories.GetAsync(id, cancellationToken))?.Text,
                    (id, text, vector) => memories.SetEmbeddingAsync(id, text, vector, embeddedBy, cancellationToken),
                    id => $"Memory {id}",
                    advanced);
                await ReembedAllAsync(
                    lessonIds,
                    async id => (await experiences.GetAsync(id, cancellationToken))?.ReusableLesson,
                    (id, _, vector) => experiences.SetLessonEmbeddingAsync(id, vector, embeddedBy, cancellationToken),
                    id => $"The lesson of record {id}",
                    advanced);
            }

            if (cli.Console.Profile.Capabilities.Interactive)
            {
                await cli.Console.Progress().StartAsync(async progress =>
                {
                    var bar = progress.AddTask("re-embedding", maxValue: total);
                    await ReembedAsync(() => bar.Value = done);
                });
            }
            else
            {
                // One line a percent: a log of a hundred thousand memories stays readable.
                var step = Math.Max(1, total / 100);
                await ReembedAsync(() =>
                {
                    if (done % step == 0 || done == total)
                    {
                        cli.Console.WriteLine($"Re-embedding with {embeddedBy}: {done} of {total}");
                    }
                });
            }

            cli.Console.WriteLine(left == 0
                ? $"Re-embedded {memoryIds.Count} memories and {lessonIds.Count} lessons with {embedder.Name}."
                : $"Re-embedded {total - left} of {memoryIds.Count} memories and {lessonIds.Count} lessons with {embedder.Name}; {left} changed or were forgotten meanwhile and were left as they are.");
            return ExitCodes.Success;
        });
        return command;
    }
}
