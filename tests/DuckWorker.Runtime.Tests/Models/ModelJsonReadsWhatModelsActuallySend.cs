using DuckWorker.Runtime.Models;

namespace DuckWorker.Runtime.Tests.Models;

public sealed class ModelJsonReadsWhatModelsActuallySend
{
    [Theory]
    [InlineData("{\"actions\": []}")]
    [InlineData("  \n{\"actions\": []}\n")]
    [InlineData("```json\n{\"actions\": []}\n```")]
    [InlineData("Here you go: {\"actions\": []} Hope that helps!")]
    [InlineData("{\"actions\": [],}")]
    [InlineData("{\"actions\": [] /* none */}")]
    public void ACommonWrappingIsRepaired(string answer)
    {
        Assert.True(ModelJson.TryReadObject(answer, out var value, out var error), error);
        Assert.Empty(value["actions"]!.AsArray());
    }

    [Theory]
    [InlineData("", "not a JSON object: (empty)")]
    [InlineData("I will read the file.", "not a JSON object: I will read the file.")]
    [InlineData("[1, 2]", "not a JSON object")]
    [InlineData("{\"actions\": [", "not a JSON object")]
    [InlineData("{\"actions\": }", "not valid JSON")]
    [InlineData("} backwards {", "not a JSON object")]
    public void AnythingElseIsRejectedWithAReasonThatShowsTheAnswer(string answer, string expected)
    {
        Assert.False(ModelJson.TryReadObject(answer, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TheReasonQuotesOnlyTheStartOfALongAnswer()
    {
        Assert.False(ModelJson.TryReadObject(new string('z', 10_000), out _, out var error));
        Assert.True(error.Length < 300, error);
        Assert.EndsWith("…", error, StringComparison.Ordinal);
    }
}
