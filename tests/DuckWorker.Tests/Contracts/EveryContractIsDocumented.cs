using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using DuckWorker.RabbitMq;
using DuckWorker.RabbitMq.Topology;
using DuckWorker.Runtime.Loop;
using DuckWorker.Testing.Broker;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace DuckWorker.Tests.Contracts;

/// <summary>
/// The docs keep up with the code: every event type, configuration key, queue, exchange and binding the code
/// has is documented, and the docs name nothing the code does not have. Each failure lists exactly what is
/// missing where, so that adding it is a matter of writing those entries.
/// </summary>
public sealed partial class EveryContractIsDocumented(BrokerFixture broker)
{
    private const string EventsDoc = "docs/events.md";
    private const string ConfigurationDoc = "docs/configuration.md";
    private const string TopologyDoc = "docs/topology.md";
    private const string AsyncApiDoc = "docs/asyncapi.yaml";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IReadOnlySet<string> CodeEventTypes { get; } = typeof(EventTypes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet();

    [Fact]
    public void EveryEventTypeHasItsSectionInTheEventsDoc()
    {
        var documented = EventHeading().Matches(RepositoryDocs.Read(EventsDoc)).Select(m => m.Groups[1].Value).ToHashSet();

        AssertSameSets(CodeEventTypes, documented, $"event types of EventTypes.cs without a \"### `type`\" section in {EventsDoc}", $"sections of {EventsDoc} for event types EventTypes.cs does not have");
    }

    [Fact]
    public void EveryEventTypeHasItsPayloadInTheTaskEventSchema()
    {
        var path = ContractSchemas.PathOf(DuckWorker.RabbitMq.Contracts.MessageTypes.TaskEvent);
        using var schema = JsonDocument.Parse(RepositoryDocs.Read(path));
        var defs = schema.RootElement.GetProperty("$defs").EnumerateObject().Select(p => p.Name).Where(n => EventTypeName().IsMatch(n)).ToHashSet();
        var selected = schema.RootElement.GetProperty("allOf").EnumerateArray()
            .Where(rule => rule.GetProperty("then").GetProperty("properties").GetProperty("payload").GetProperty("$ref").GetString()
                == "#/$defs/" + rule.GetProperty("if").GetProperty("properties").GetProperty("eventType").GetProperty("const").GetString())
            .Select(rule => rule.GetProperty("if").GetProperty("properties").GetProperty("eventType").GetProperty("const").GetString()!)
            .ToHashSet();

        AssertSameSets(CodeEventTypes, defs, $"event types of EventTypes.cs without a $defs entry (named as the type) in {path}", $"$defs of {path} for event types EventTypes.cs does not have");
        Assert.True(defs.SetEquals(selected), $"$defs entries of {path} that no allOf rule selects by eventType (add {{\"if\": {{\"properties\": {{\"eventType\": {{\"const\": \"<type>\"}}}}, \"required\": [\"eventType\"]}}, \"then\": {{\"properties\": {{\"payload\": {{\"$ref\": \"#/$defs/<type>\"}}}}}}}}): {string.Join(", ", defs.Except(selected).Order())}");
    }

    [Fact]
    public void EveryConfigurationKeyIsInTheConfigurationDoc()
    {
        var documented = DocumentedKeys().Matches(RepositoryDocs.Read(ConfigurationDoc)).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var bound = ConfigurationKeys.BoundByOptions();

        var settings = ConfigurationKeys.InAppSettings();
        var missingBound = bound.Where(k => !documented.Contains(k.Key)).Select(k => $"{k.Key} (bound by {k.Value})").ToList();
        var missingSettings = settings.Where(k => !documented.Contains(k) && !bound.ContainsKey(k)).Select(k => $"{k} (in appsettings.json)").ToList();
        var stale = documented.Where(k => !bound.ContainsKey(k) && !settings.Contains(k)).Order().ToList();

        Assert.True(
            missingBound.Count + missingSettings.Count + stale.Count == 0,
            (missingBound.Count + missingSettings.Count > 0
                ? $"Missing: configuration keys without a row in {ConfigurationDoc} (add a table row whose first cell is the key in backticks):\n  {string.Join("\n  ", missingBound.Concat(missingSettings))}\n"
                : "")
            + (stale.Count > 0 ? $"Stale: rows of {ConfigurationDoc} for keys no options class binds and appsettings.json does not hold:\n  {string.Join("\n  ", stale)}" : ""));
    }

    [Fact]
    public void TheAsyncApiDocumentNamesTheQueuesAndExchangesOfTheTopologyDoc()
    {
        var topology = Documented(RepositoryDocs.Read(TopologyDoc));
        var asyncApi = AsyncApiNames(RepositoryDocs.Read(AsyncApiDoc));

        AssertSameSets(topology.Objects.Keys.ToHashSet(), asyncApi, $"queues and exchanges of {TopologyDoc} that no `queue:` or `exchange:` binding of {AsyncApiDoc} names", $"names of {AsyncApiDoc} that {TopologyDoc} does not list");
    }

    [Fact]
    public async Task TheTopologyTheWorkerDeclaresIsTheOneDocumented()
    {
        broker.SkipIfUnavailable();
        var ctl = Environment.GetEnvironmentVariable(BrokerFixture.CtlVariable) ?? "";
        if (ctl.Length == 0)
        {
            Assert.Skip($"Listing what the broker holds needs rabbitmqctl: {BrokerFixture.CtlVariable} is not set (.ci/run sets it when it starts the broker).");
        }

        // The default names, each behind a prefix of this test's own, so that the broker's listing shows only them.
        var prefix = broker.UniqueNames().Prefix + ".";
        var defaults = new RabbitMqOptions();
        var options = new RabbitMqOptions
        {
            JobsQueue = prefix + defaults.JobsQueue,
            EventsExchange = prefix + defaults.EventsExchange,
            ApprovalsRequestedQueue = prefix + defaults.ApprovalsRequestedQueue,
            TasksFinishedQueue = prefix + defaults.TasksFinishedQueue,
            DecisionsQueue = prefix + defaults.DecisionsQueue,
            DeadLetterExchange = prefix + defaults.DeadLetterExchange,
            DeadQueue = prefix + defaults.DeadQueue,
        };
        await using (var connection = await new ConnectionFactory { Uri = broker.Uri! }.CreateConnectionAsync(Ct))
        {
            await new RabbitMqTopology(Options.Create(options), NullLogger<RabbitMqTopology>.Instance).DeclareAsync(connection, Ct);
        }

        try
        {
            var declared = new Dictionary<string, string>();
            foreach (var row in await ListAsync(ctl, prefix, "list_queues", "name", "type"))
            {
                declared[row[0]] = $"queue ({row[1]})";
            }

            foreach (var row in await ListAsync(ctl, prefix, "list_exchanges", "name", "type"))
            {
                declared[row[0]] = $"exchange ({row[1]})";
            }

            var bindings = (await ListAsync(ctl, prefix, "list_bindings", "source_name", "routing_key", "destination_name"))
                .Where(b => b.Length == 3 && b[0].Length > 0)
                .Select(b => $"{b[0]} --{b[1]}--> {b[2]}")
                .ToHashSet();
            var documented = Documented(RepositoryDocs.Read(TopologyDoc));

            AssertSameSets(
                declared.Select(d => $"{d.Key}: {d.Value}").ToHashSet(),
                documented.Objects.Select(d => $"{d.Key}: {d.Value}").ToHashSet(),
                $"queues and exchanges RabbitMqTopology declares (name: kind) that {TopologyDoc} does not list so",
                $"queues and exchanges of {TopologyDoc} (name: kind) that RabbitMqTopology does not declare so");
            AssertSameSets(bindings, documented.Bindings, $"bindings RabbitMqTopology declares that {TopologyDoc} does not list", $"bindings of {TopologyDoc} that RabbitMqTopology does not declare");
        }
        finally
        {
            await using var connection = await new ConnectionFactory { Uri = broker.Uri! }.CreateConnectionAsync(CancellationToken.None);
            await using var channel = await connection.CreateChannelAsync(cancellationToken: CancellationToken.None);
            foreach (var queue in new[] { options.JobsQueue, options.ApprovalsRequestedQueue, options.TasksFinishedQueue, options.DecisionsQueue, options.DeadQueue })
            {
                await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false, cancellationToken: CancellationToken.None);
            }

            await channel.ExchangeDeleteAsync(options.EventsExchange, cancellationToken: CancellationToken.None);
            await channel.ExchangeDeleteAsync(options.DeadLetterExchange, cancellationToken: CancellationToken.None);
        }
    }

    [Fact]
    public void TheReadmeAndTheDocsLinkOnlyToFilesInTheRepository()
    {
        var broken = new List<string>();
        foreach (var document in Directory.GetFiles(RepositoryDocs.PathOf("docs"), "*.md").Prepend(RepositoryDocs.PathOf("README.md")))
        {
            var text = File.ReadAllText(document);
            var relative = Path.GetRelativePath(RepositoryDocs.Root, document);
            broken.AddRange(LocalLink().Matches(text)
                .Select(m => m.Groups[1].Value)
                .Where(target => !target.Contains("://", StringComparison.Ordinal) && !target.StartsWith("mailto:", StringComparison.Ordinal))
                .Select(target => (target, full: Path.GetFullPath(Path.Join(Path.GetDirectoryName(document), target))))
                .Where(link => !link.full.StartsWith(RepositoryDocs.Root, StringComparison.Ordinal) || !(File.Exists(link.full) || Directory.Exists(link.full)))
                .Select(link => $"{relative}: {link.target}"));
            if (text.Contains("../shared", StringComparison.Ordinal))
            {
                broken.Add($"{relative}: names ../shared, which is not in the repository");
            }
        }

        Assert.True(broken.Count == 0, $"Links to files that are not in the repository:\n  {string.Join("\n  ", broken)}");
    }

    /// <summary>The rows of a rabbitmqctl listing whose fields name this test's objects, with the prefix taken off.</summary>
    private static async Task<List<string[]>> ListAsync(string ctl, string prefix, params string[] command)
    {
        using var process = Process.Start(new ProcessStartInfo(ctl, command) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"{ctl} {string.Join(' ', command)} failed ({process.ExitCode}): {await errors}");
        return [.. (await output).Split('\n')
            .Where(line => line.Contains(prefix, StringComparison.Ordinal))
            .Select(line => line.TrimEnd('\r').Split('\t').Select(field => field.Replace(prefix, "", StringComparison.Ordinal)).ToArray())];
    }

    /// <summary>The topology doc's two tables: each queue and exchange with its kind, and each binding.</summary>
    private static (Dictionary<string, string> Objects, HashSet<string> Bindings) Documented(string markdown)
    {
        var objects = ObjectRow().Matches(markdown).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["kind"].Value.Trim());
        // A fanout binding's key is empty, written `""`.
        var bindings = BindingRow().Matches(markdown)
            .Select(m => $"{m.Groups["exchange"].Value} --{(m.Groups["key"].Value == "\"\"" ? "" : m.Groups["key"].Value)}--> {m.Groups["queue"].Value}")
            .ToHashSet();
        return (objects, bindings);
    }

    /// <summary>The names under the AMQP channel bindings (<c>queue:</c> / <c>exchange:</c> then <c>name:</c>) of the AsyncAPI document.</summary>
    private static HashSet<string> AsyncApiNames(string yaml) => AmqpName().Matches(yaml).Select(m => m.Groups[1].Value.Trim('\'', '"')).ToHashSet();

    private static void AssertSameSets(IReadOnlySet<string> code, IReadOnlySet<string> docs, string missingInDocs, string missingInCode)
    {
        var undocumented = code.Except(docs).Order().ToList();
        var stale = docs.Except(code).Order().ToList();
        Assert.True(
            undocumented.Count + stale.Count == 0,
            (undocumented.Count > 0 ? $"Missing: {missingInDocs}:\n  {string.Join("\n  ", undocumented)}\n" : "")
            + (stale.Count > 0 ? $"Stale: {missingInCode}:\n  {string.Join("\n  ", stale)}" : ""));
    }

    /// <summary>The target of a markdown link, without its #anchor.</summary>
    [GeneratedRegex(@"\]\(([^)#\s]+)(?:#[^)\s]*)?\)")]
    private static partial Regex LocalLink();

    [GeneratedRegex(@"^### `([a-z0-9_]+)`\s*$", RegexOptions.Multiline)]
    private static partial Regex EventHeading();

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)+$")]
    private static partial Regex EventTypeName();

    /// <summary>The first cell of a table row: one or more keys in backticks, e.g. <c>| `Worker:Concurrency` |</c>.</summary>
    [GeneratedRegex(@"^\|\s*`([A-Za-z][^`\s]*:[^`\s]+)`", RegexOptions.Multiline)]
    private static partial Regex DocumentedKeys();

    [GeneratedRegex(@"^\|\s*`(?<name>[^`]+)`\s*\|\s*(?<kind>(queue|exchange) \([a-z]+\))\s*\|", RegexOptions.Multiline)]
    private static partial Regex ObjectRow();

    [GeneratedRegex(@"^\|\s*`(?<exchange>[^`]+)`\s*\|\s*`(?<key>[^`]*)`\s*\|\s*`(?<queue>[^`]+)`\s*\|", RegexOptions.Multiline)]
    private static partial Regex BindingRow();

    [GeneratedRegex(@"^\s+(?:queue|exchange):\s*\n\s+name:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AmqpName();
}
