namespace DuckWorker.Tests.Embeddings;

/// <summary>
/// Recall quality of the in-process model (<c>Memory:Embedder = local</c>) on questions that share few words
/// with the facts they ask for; the word-hashing vectors of the other tests are shown for comparison.
/// </summary>
public sealed class TheLocalEmbedderRecallsFactsAskedInOtherWords(RecallQualityFixture quality) : IClassFixture<RecallQualityFixture>
{
    [Fact]
    public void TheSuiteHoldsFortyFactsWithQuestionsAndUnrelatedMemories()
    {
        Assert.True(RecallQualityCases.Facts.Length >= 40);
        Assert.True(RecallQualityCases.Distractors.Length >= 40);
        Assert.Equal(RecallQualityCases.Facts.Length, RecallQualityCases.Facts.Select(c => c.Fact).Distinct().Count());
    }

    [Fact]
    public void NineInTenFactsAreRecalledFirst()
    {
        TestContext.Current.TestOutputHelper?.WriteLine(quality.Local.ToString());
        Assert.True(quality.Local.AtOne >= 0.9, quality.Local.ToString());
    }

    [Fact]
    public void AlmostEveryFactIsAmongTheFirstFive()
    {
        TestContext.Current.TestOutputHelper?.WriteLine(quality.Local.ToString());
        Assert.True(quality.Local.AtFive >= 0.97, quality.Local.ToString());
    }

    [Fact]
    public void WordHashingIsShownForComparison()
    {
        // Not a goal: hashing only finds shared words, which these questions mostly avoid.
        TestContext.Current.TestOutputHelper?.WriteLine(quality.WordHashing.ToString());
        TestContext.Current.TestOutputHelper?.WriteLine(quality.Local.ToString());
        Assert.InRange(quality.WordHashing.AtOne, 0, 1);
    }
}
