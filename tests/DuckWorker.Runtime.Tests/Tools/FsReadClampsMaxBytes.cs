using System.Text.Json.Nodes;
using DuckWorker.Runtime.Tools;
using DuckWorker.Runtime.Tools.FileSystem;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tests.Tools;

public sealed class FsReadClampsMaxBytes : IDisposable
{
    private const int Most = 1024;

    private readonly string workspace = WorkspacePath.RealPath(Directory.CreateTempSubdirectory("duck-maxbytes-").FullName);

    private readonly FsReadTool tool = new(Options.Create(new ToolsOptions { WorkspaceRoot = "/", MaxOutputBytes = Most }));

    public FsReadClampsMaxBytes() => File.WriteAllText(Path.Join(workspace, "big.txt"), new string('x', 3000));

    private ToolContext Context => new("t", workspace);

    private static ToolAction Read(string maxBytes) =>
        new("fs_read", new JsonObject { ["path"] = "big.txt", ["maxBytes"] = JsonNode.Parse(maxBytes) }, null);

    [Theory]
    [InlineData("10", 10)]
    [InlineData("-5", 1)]
    [InlineData("0", 1)]
    [InlineData("2.9", 2)]
    [InlineData("1e20", Most)]
    [InlineData("99999999999999999999999999", Most)]
    [InlineData("\"12\"", 12)]
    [InlineData("null", Most)]
    public async Task ANumberOfBytesIsClampedBetweenOneAndToolsMaxOutputBytes(string maxBytes, int read)
    {
        var result = await tool.RunAsync(Read(maxBytes), Context, TestContext.Current.CancellationToken);

        Assert.Equal(ToolVerdict.Run, tool.Assess(Read(maxBytes), Context).Verdict);
        Assert.True(result.Ok, result.Error);
        Assert.Equal(read, result.Output!.Length);
        Assert.Equal(read, result.Metadata["maxBytes"]!.GetValue<int>());
        Assert.True(result.Metadata[ToolMetadata.Truncated]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("\"many\"")]
    [InlineData("\"NaN\"")]
    [InlineData("true")]
    [InlineData("[10]")]
    [InlineData("{\"bytes\": 10}")]
    public async Task AnythingElseIsRefusedWithTheReason(string maxBytes)
    {
        var assessment = tool.Assess(Read(maxBytes), Context);
        var result = await tool.RunAsync(Read(maxBytes), Context, TestContext.Current.CancellationToken);

        Assert.Equal(ToolVerdict.Invalid, assessment.Verdict);
        Assert.Equal($"fs_read's 'maxBytes' must be a number of bytes from 1 to {Most}; it is {JsonNode.Parse(maxBytes)!.ToJsonString()}.", assessment.Reason);
        Assert.Equal(assessment.Reason, result.Error);
    }

    public void Dispose() => Directory.Delete(workspace, recursive: true);
}
