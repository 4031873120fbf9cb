using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DuckWorker.RabbitMq.Contracts;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// A JSON Lines file of requests, one <c>duck.chat.v1</c> body per line (<c>jobId</c> optional). A line
/// without a job id gets one derived from its content (a hash of the request, and which copy of it this is
/// when the same request is there more than once), so that running the file again, even with lines added,
/// moved or removed, names the same jobs, and the worker runs each of them once. A job id given twice is
/// refused before anything runs.
/// </summary>
internal static class RequestFile
{
    public static async Task<IReadOnlyList<(int Line, ChatJobV1 Job)>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"The request file '{path}' does not exist.");
        }

        var requests = new List<(int, ChatJobV1)>();
        var copies = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var number = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException ex)
            {
                throw new CliException($"{path}, line {number}: not JSON ({ex.Message}).");
            }

            using (document)
            {
                var root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("message", out var message) || message.ValueKind != JsonValueKind.String)
                {
                    throw new CliException($"{path}, line {number}: a request is an object with a \"message\" string.");
                }

                var content = line.Trim();
                var copy = copies[content] = copies.GetValueOrDefault(content) + 1;
                var jobId = root.TryGetProperty("jobId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : DerivedJobId(content, copy);
                var job = JsonSerializer.Deserialize<ChatJobV1>(WithJobId(root, jobId), ContractJson.Options)!;
                requests.Add((number, job));
                if (!lines.TryGetValue(jobId, out var seen))
                {
                    lines[jobId] = seen = [];
                }

                seen.Add(number);
            }
        }

        var duplicates = lines.Where(l => l.Value.Count > 1).Select(l => $"'{l.Key}' on lines {string.Join(", ", l.Value)}").ToList();
        if (duplicates.Count > 0)
        {
            throw new CliException($"{path}: a job id runs at most once, but these are given to more than one request: {string.Join("; ", duplicates)}. Give each request its own jobId (or none). Nothing was started.");
        }

        return requests;
    }

    private static string WithJobId(JsonElement root, string jobId)
    {
        var copy = System.Text.Json.Nodes.JsonNode.Parse(root.GetRawText())!.AsObject();
        copy["jobId"] = jobId;
        return copy.ToJsonString();
    }

    private static string DerivedJobId(string content, int copy) =>
        "batch-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(copy == 1 ? content : $"{content}\n{copy}")))[..24];
}
