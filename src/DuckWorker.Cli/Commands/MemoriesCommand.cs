using System.CommandLine;
using System.Text.Json;
using DuckWorker.Runtime.Memory;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary><c>duck memories list|show ID|forget ID|reembed</c>: what the worker remembers, forgetting it, and re-embedding it.</summary>
internal static class MemoriesCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(Func<ParseResult, CliContext> configure)
    {
        var json = TasksCommand.JsonOption();
        var workspace = new Option<string?>("--workspace") { Description = "Only the memories of this workspace (an absolute path) and the global ones." };
        var scope = new Option<string?>("--scope")
        {
            Description = "Only the memories of this scope: workspace (recalled only in their workspace) or global (recalled by every job).",
        };
        scope.AcceptOnlyFromAmong(MemoryDecision.WorkspaceScope, MemoryDecision.GlobalScope);
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first.", DefaultValueFactory = _ => 50 };
        var list = new Command("list", "The newest memories, with the scope each is recalled in.") { workspace, scope, limit, json };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            var found = await cli.Agent().GetRequiredService<IMemoryStore>().ListAsync(parse.GetValue(workspace), parse.GetValue(scope), parse.GetValue(limit), cancellationToken);
            if (parse.GetValue(json))
            {
                cli.Console.WriteLine(JsonSerializer.Serialize(found.Select(Summary), Json));
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("memory", "scope", "type", "importance", "text");
            foreach (var memory in found)
            {
                table.AddRow(memory.MemoryId, Markup.Escape(ScopeOf(memory)), Markup.Escape(memory.MemoryType), memory.Importance.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(memory.Text));
            }

            cli.Console.Write(table);
            return ExitCodes.Success;
        });

        var showId = MemoryId();
        var show = new Command("show", "One memory.") { showId, json };
        show.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            var memory = await cli.Agent().GetRequiredService<IMemoryStore>().GetAsync(parse.GetValue(showId)!, cancellationToken)
                ?? throw new CliException($"No memory has the id '{parse.GetValue(showId)}'.");
            cli.Console.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(Summary(memory), Json)
                : $"{memory.MemoryId} ({ScopeOf(memory)}, {memory.MemoryType}, importance {memory.Importance:0.00})\n{memory.Text}");
            return ExitCodes.Success;
        });

        var forgetId = MemoryId();
        var forget = new Command("forget", "Delete a memory: it is not recalled again.") { forgetId };
        forget.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            if (!await cli.Agent().GetRequiredService<IMemoryStore>().DeleteAsync(parse.GetValue(forgetId)!, cancellationToken))
            {
                throw new CliException($"No memory has the id '{parse.GetValue(forgetId)}'.");
            }

            cli.Console.WriteLine($"Forgot memory {parse.GetValue(forgetId)}.");
            return ExitCodes.Success;
        });

        return new Command("memories", "Long-term memories.") { list, show, forget, MemoriesReembedCommand.Create(configure) };
    }

    /// <summary>Where a memory is recalled: everywhere, or in the workspace it names.</summary>
    private static string ScopeOf(MemoryRecord memory) =>
        memory.Scope == MemoryDecision.WorkspaceScope ? $"workspace {memory.Workspace}" : memory.Scope;

    private static Argument<string> MemoryId() => new("memory-id") { Description = "The memory's id." };

    private static object Summary(MemoryRecord memory) => new
    {
        memory.MemoryId,
        memory.Workspace,
        memory.Scope,
        memory.MemoryType,
        memory.Text,
        memory.Importance,
        memory.Metadata,
        memory.TaskId,
        memory.CreatedAt,
        memory.UpdatedAt,
        HasVector = memory.Embedding is not null,
        memory.EmbeddedBy,
    };
}
