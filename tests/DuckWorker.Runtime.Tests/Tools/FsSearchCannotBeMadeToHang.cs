using System.Text.Json.Nodes;
using DuckWorker.Runtime.Tools;
using DuckWorker.Runtime.Tools.FileSystem;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tests.Tools;

public sealed class FsSearchCannotBeMadeToHang : IDisposable
{
    private readonly string workspace = WorkspacePath.RealPath(Directory.CreateTempSubdirectory("duck-budget-").FullName);

    private ToolContext Context => new("t", workspace);

    private static ToolAction Search(string pattern) => new("fs_search", new JsonObject { ["pattern"] = pattern }, null);

    private static FsSearchTool Tool(TimeProvider time) =>
        new(Options.Create(new ToolsOptions { WorkspaceRoot = "/", SearchTimeout = TimeSpan.FromSeconds(10) }), time);

    [Fact(Timeout = 60_000)]
    public async Task ACatastrophicPatternOnALongLineStillFindsTheLinesAfterIt()
    {
        File.WriteAllText(Path.Join(workspace, "a.txt"), new string('a', 50_000) + "b\naaa\n");

        var result = await Tool(TimeProvider.System).RunAsync(Search("(a+)+$"), Context, TestContext.Current.CancellationToken);

        Assert.Equal("a.txt:2: aaa\n", result.Output!.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task ASearchStopsAtItsTimeBudgetAndSaysHowFarItGot()
    {
        for (var i = 0; i < 30; i++)
        {
            File.WriteAllText(Path.Join(workspace, $"f{i:00}.txt"), "quack\n");
        }

        // Every reading of the clock takes a second: the budget of ten runs out long before thirty files.
        var result = await Tool(new SecondPerReading()).RunAsync(Search("quack"), Context, TestContext.Current.CancellationToken);

        Assert.True(result.Ok);
        Assert.True(result.Metadata["stoppedEarly"]!.GetValue<bool>());
        var searched = result.Metadata["filesSearched"]!.GetValue<int>();
        Assert.InRange(searched, 1, 29);
        Assert.Contains($"stopped early: the search ran out of its time budget (Tools:SearchTimeout, 00:00:10) after {searched} of", result.Output, StringComparison.Ordinal);
        Assert.StartsWith("f00.txt:1: quack\n", result.Output!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACancelledSearchStops()
    {
        File.WriteAllText(Path.Join(workspace, "a.txt"), "quack\n");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Tool(TimeProvider.System).RunAsync(Search("quack"), Context, new CancellationToken(canceled: true)));
    }

    public void Dispose() => Directory.Delete(workspace, recursive: true);

    private sealed class SecondPerReading : TimeProvider
    {
        private long seconds;

        public override long TimestampFrequency => 1;

        public override long GetTimestamp() => Interlocked.Increment(ref seconds);
    }
}
