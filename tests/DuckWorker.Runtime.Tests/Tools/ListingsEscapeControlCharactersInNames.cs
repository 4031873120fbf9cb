using System.Text.Json.Nodes;
using DuckWorker.Runtime.Tools;
using DuckWorker.Runtime.Tools.FileSystem;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tests.Tools;

/// <summary>A file name is any bytes but '/' and NUL; listings must not let one forge lines or terminal escapes.</summary>
public sealed class ListingsEscapeControlCharactersInNames : IDisposable
{
    private readonly string workspace = WorkspacePath.RealPath(Directory.CreateTempSubdirectory("duck-names-").FullName);

    private ToolContext Context => new("t", workspace);

    [Theory]
    [InlineData("plain-name.txt", "plain-name.txt")]
    [InlineData("a\nb", @"a\nb")]
    [InlineData("tab\there", @"tab\there")]
    [InlineData("cr\rx", @"cr\rx")]
    [InlineData("\u001b[31mred", @"\x1b[31mred")]
    [InlineData("del\u007f", @"del\x7f")]
    [InlineData("csi\u009b", @"csi\x9b")]
    [InlineData("evil\u202etxt.exe", @"evil\u202etxt.exe")]
    [InlineData("iso\u2066late", @"iso\u2066late")]
    [InlineData("line\u2028sep", @"line\u2028sep")]
    [InlineData(@"back\slash", @"back\\slash")]
    [InlineData("été 🦆", "été 🦆")]
    public void ANameIsEscapedUnambiguously(string name, string shown) => Assert.Equal(shown, EscapedName.Of(name));

    [Fact]
    public async Task FsListCannotBeMadeToShowFilesThatAreNotThere()
    {
        File.WriteAllText(Path.Join(workspace, "a\nfake.txt\t999"), "1");
        File.WriteAllText(Path.Join(workspace, "\u001b]0;owned\u0007"), "");
        Directory.CreateDirectory(Path.Join(workspace, "dir\n"));
        File.CreateSymbolicLink(Path.Join(workspace, "link\u202e"), "target\nx");

        var result = await new FsListTool().RunAsync(new ToolAction("fs_list", [], null), Context, TestContext.Current.CancellationToken);

        Assert.Equal(
            "dir\\n/\n\\x1b]0;owned\\x07\t0\na\\nfake.txt\\t999\t1\nlink\\u202e -> target\\nx\n",
            result.Output!.ReplaceLineEndings("\n"));
        Assert.Contains("escaped", new FsListTool().Usage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FsSearchEscapesThePathsAndTheControlCharactersOfTheLines()
    {
        File.WriteAllText(Path.Join(workspace, "x\nfake.txt:1: quack"), "quack \u001b[2J\tand\n");
        var tool = new FsSearchTool(Options.Create(new ToolsOptions { WorkspaceRoot = "/" }), TimeProvider.System);

        var result = await tool.RunAsync(new ToolAction("fs_search", new JsonObject { ["pattern"] = "quack" }, null), Context, TestContext.Current.CancellationToken);

        Assert.Equal("x\\nfake.txt:1: quack:1: quack \\x1b[2J\tand\n", result.Output!.ReplaceLineEndings("\n"));
        Assert.Contains("escaped", tool.Usage, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(workspace, recursive: true);
}
