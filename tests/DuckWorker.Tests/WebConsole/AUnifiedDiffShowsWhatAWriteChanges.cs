using DuckWorker.Cli.WebConsole.Inbox;

namespace DuckWorker.Tests.WebConsole;

/// <summary>The inbox's diff of a file's old and new content reads like <c>diff -u</c>: hunks with three lines of context.</summary>
public sealed class AUnifiedDiffShowsWhatAWriteChanges
{
    private static string Numbered(params int[] skip) =>
        string.Concat(Enumerable.Range(1, 20).Where(i => !skip.Contains(i)).Select(i => $"line {i}\n"));

    [Fact]
    public void FarApartChangesMakeTwoHunksWithTheirContext()
    {
        var after = Numbered(skip: 2).Replace("line 18\n", "line eighteen\n", StringComparison.Ordinal);

        var diff = UnifiedDiff.Of(Numbered(), after);

        Assert.Equal(
            [
                "@@ -1,5 +1,4 @@", " line 1", "-line 2", " line 3", " line 4", " line 5",
                "@@ -15,6 +14,6 @@", " line 15", " line 16", " line 17", "-line 18", "+line eighteen", " line 19", " line 20",
            ],
            diff);
    }

    [Fact]
    public void ANewLastLineAndLineEndingsAreNoChangeOfTheRest()
    {
        Assert.Equal(["@@ -1,2 +1,3 @@", " a", " b", "+c"], UnifiedDiff.Of("a\r\nb\r\n", "a\nb\nc\n"));
        Assert.Equal(["@@ -0,0 +1,1 @@", "+new"], UnifiedDiff.Of("", "new"));
        Assert.Empty(UnifiedDiff.Of("same\n", "same\n")!);
    }
}
