using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using DuckWorker.Testing.Ollama;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>
/// The characters a tool loop sends to the models, against what the seed would send for the same transcript:
/// the seed re-sends every observation so far as one indented JSON message (<c>json.dumps(…, indent=2)</c>)
/// with its full result and metadata.
/// </summary>
internal static class PromptCost
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="chats">The task's model calls, in order: the action calls, then the thinker's.</param>
    /// <param name="observations">The seed's observation objects in order: index, tool, reason, result.</param>
    public static PromptComparison Compare(IReadOnlyList<RecordedChat> chats, IReadOnlyList<JsonObject> observations)
    {
        var ours = chats.Select(c => c.PromptChars).ToList();
        var seed = new List<int>();
        var ourObservations = 0;
        var seedObservations = 0;
        for (var call = 0; call < chats.Count; call++)
        {
            // What both send before any observation: instructions, system prompt, history, the message.
            var prefix = chats[call].Messages.TakeWhile(m => !IsObservation(m)).Sum(m => m.Content.Length);
            var seen = chats[call].Messages.Any(IsObservation) ? Math.Min(call, observations.Count) : 0;
            var observed = seen == 0 ? 0 : "tool_observations:\n".Length + JsonSerializer.Serialize(new JsonArray([.. observations.Take(seen).Select(o => o.DeepClone())]), Indented).Length;
            seed.Add(prefix + observed);
            seedObservations += observed;
            ourObservations += chats[call].Messages.Where(IsObservation).Sum(m => m.Content.Length);
        }

        return new PromptComparison(ours, seed, ourObservations, seedObservations);
    }

    private static bool IsObservation((string Role, string Content) message) => message.Content.StartsWith("tool_observations:", StringComparison.Ordinal);
}

/// <summary>Prompt characters per call, ours and the seed's, and of those the characters of observations.</summary>
internal sealed record PromptComparison(IReadOnlyList<int> Ours, IReadOnlyList<int> Seed, int OurObservationChars, int SeedObservationChars)
{
    public double TotalRatio => Math.Round((double)Ours.Sum() / Seed.Sum(), 3);

    public double ObservationRatio => Math.Round((double)OurObservationChars / SeedObservationChars, 3);
}
