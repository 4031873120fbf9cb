using DuckWorker.Policy;

namespace DuckWorker.Policy.Tests;

/// <summary>
/// A chain of links created by earlier commands (<c>ln -s . r; ln -s r/.. r2; …</c>) looks inside the workspace as text
/// but leads outside: commands through it are judged by where it leads.
/// </summary>
public sealed class LinksPlantedInTheWorkspaceDoNotHideWhereAPathLeads : IDisposable
{
    private static readonly CommandPolicy Policy = new();

    private readonly DirectoryInfo root = Directory.CreateTempSubdirectory("duck-chain-");

    private readonly string workspace;

    public LinksPlantedInTheWorkspaceDoNotHideWhereAPathLeads()
    {
        workspace = Directory.CreateDirectory(Path.Join(root.FullName, "ws")).FullName;
        File.CreateSymbolicLink(Path.Join(workspace, "r"), ".");
        File.CreateSymbolicLink(Path.Join(workspace, "r2"), "r/..");
        File.CreateSymbolicLink(Path.Join(workspace, "r3"), "r2/..");
        File.CreateSymbolicLink(Path.Join(workspace, "r4"), "r3/..");
        File.CreateSymbolicLink(Path.Join(workspace, "shadowed"), "/etc");
    }

    [Theory]
    [InlineData("cat r2/other/secret", CommandDecision.Approve)]
    [InlineData("cat r4/tmp/x", CommandDecision.Approve)]
    [InlineData("rm -rf r4/x", CommandDecision.Block)]
    [InlineData("rm -rf r2/other", CommandDecision.Block)]
    [InlineData("echo x > r2/other/file", CommandDecision.Block)]
    [InlineData("cat shadowed/shadow", CommandDecision.Block)]
    [InlineData("cat r/notes.txt", CommandDecision.Run)]
    public void ACommandThroughTheChainIsJudgedByWhereItLeads(string command, CommandDecision decision)
    {
        var assessment = Policy.Evaluate(command, workspace);

        Assert.True(decision == assessment.Decision, $"{command}: expected {decision}, got {assessment.Decision}: {assessment.Reason}");
    }

    public void Dispose() => root.Delete(recursive: true);
}
