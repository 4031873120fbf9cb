using System.Text.Json.Nodes;
using DuckWorker.Runtime.Memory;

namespace DuckWorker.Runtime.Tests.Memory;

public sealed class MemoryDecisionsAreReadStrictly
{
    private static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    [Theory]
    [InlineData("""{"summary": "x"}""", "no boolean 'should_store'")]
    [InlineData("""{"should_store": "yes", "summary": "x"}""", "no boolean 'should_store'")]
    [InlineData("""{"should_store": true, "summary": "  "}""", "without a summary")]
    public void ADecisionWithoutWhatItNeedsIsRejected(string json, string expected)
    {
        Assert.False(MemoryDecision.TryRead(Json(json), out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownScopesStayInTheWorkspaceAndImportanceIsClamped()
    {
        Assert.True(MemoryDecision.TryRead(Json("""{"should_store": true, "summary": " s ", "scope": "universe", "importance": 7}"""), out var decision, out _));

        Assert.Equal(("s", "workspace", "fact", 1.0), (decision.Summary, decision.Scope, decision.MemoryType, decision.Importance));
    }

    [Fact]
    public void NotStoringNeedsNoSummary()
    {
        Assert.True(MemoryDecision.TryRead(Json("""{"should_store": false}"""), out var decision, out _));
        Assert.False(decision.ShouldStore);
    }
}
