using System.CommandLine;
using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// <c>duck memories reembed [--all]</c>: after <c>Memory:Embedder</c> (or the embedding model) changed, gives the
/// memories and lessons whose vectors another embedder made, or that have none, a vector of the current one, so
/// that recall finds them again. Each vector is written on its own, so an interrupted run leaves every memory
/// with its old vector or its new one, and the next run goes on with those left.
/// </summary>
internal static class MemoriesReembedCommand
{
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

            async Task<bool> MemoryAsync(string id) =>
                await memories.GetAsync(id, cancellationToken) is { } memory
                && await memories.SetEmbeddingAsync(id, memory.Text, await EmbedAsync(memory.Text, $"Memory {id}"), embedder.Name, cancellationToken);

            async Task<bool> LessonAsync(string id) =>
                await experiences.GetAsync(id, cancellationToken) is { ReusableLesson: { } lesson }
                && await experiences.SetLessonEmbeddingAsync(id, await EmbedAsync(lesson, $"The lesson of record {id}"), embedder.Name, cancellationToken);

            async Task ReembedAsync(Action advanced)
            {
                foreach (var (id, isMemory) in memoryIds.Select(id => (id, true)).Concat(lessonIds.Select(id => (id, false))))
                {
                    // False: changed (and so re-embedded by the worker) or forgotten since it was listed.
                    left += await (isMemory ? MemoryAsync(id) : LessonAsync(id)) ? 0 : 1;
                    done++;
                    advanced();
                }
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
