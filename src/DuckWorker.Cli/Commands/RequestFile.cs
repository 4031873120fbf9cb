using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DuckWorker.RabbitMq.Contracts;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// A JSON Lines file of requests, one <c>duck.chat.v1</c> body per line (<c>jobId</c> optional). A line
/// without a job id gets one derived from the file, the line's number and its text, so that running the same
/// file again names the same jobs, and the worker runs each of them once.
/// </summary>
internal static class RequestFile
{
    public static async Task<IReadOnlyList<(int Line, ChatJobV1 Job)>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"The request file '{path}' does not exist.");
        }

        var full = Path.GetFullPath(path);
        var requests = new List<(int, ChatJobV1)>();
        var number = 0;
        foreach (var line in await File.ReadAllLinesAsync(full, cancellationToken))
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

                var jobId = root.TryGetProperty("jobId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : DerivedJobId(full, number, line);
                var job = JsonSerializer.Deserialize<ChatJobV1>(WithJobId(root, jobId), ContractJson.Options)!;
                requests.Add((number, job));
            }
        }

        return requests;
    }

    private static string WithJobId(JsonElement root, string jobId)
    {
        var copy = System.Text.Json.Nodes.JsonNode.Parse(root.GetRawText())!.AsObject();
        copy["jobId"] = jobId;
        return copy.ToJsonString();
    }

    private static string DerivedJobId(string path, int line, string text) =>
        "batch-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{path}\n{line}\n{text}")))[..24];
}
