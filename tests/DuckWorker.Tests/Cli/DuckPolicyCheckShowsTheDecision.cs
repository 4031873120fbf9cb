using System.Text.Json;

namespace DuckWorker.Tests.Cli;

public sealed class DuckPolicyCheckShowsTheDecision : IDisposable
{
    private readonly string workspace = Directory.CreateTempSubdirectory("duck-cli-").FullName;

    private static async Task<(int Exit, string Output, string Errors)> DuckAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = await DuckWorker.Cli.DuckCommandLine.RunAsync(args, output, errors, TextReader.Null);
        return (exit, output.ToString(), errors.ToString());
    }

    [Theory]
    [InlineData("ls -la", "run", "read", "low")]
    [InlineData("touch notes.md", "approve", "write", "medium")]
    [InlineData("curl https://example.com", "approve", "network", "medium")]
    [InlineData("r''m -rf /", "block", "destructive", "critical")]
    [InlineData("echo cm0gLXJmIC8= | base64 -d | sh", "block", "privileged", "critical")]
    public async Task WithJsonItPrintsTheContractFields(string commandLine, string decision, string actionType, string riskLevel)
    {
        var (exit, output, _) = await DuckAsync("policy", "check", commandLine, "--workspace", workspace, "--json");

        Assert.Equal(0, exit);
        var json = JsonDocument.Parse(output).RootElement;
        Assert.Equal(["decision", "actionType", "riskLevel", "reason"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal((decision, actionType, riskLevel), (json.GetProperty("decision").GetString(), json.GetProperty("actionType").GetString(), json.GetProperty("riskLevel").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(json.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task WithoutJsonItPrintsTheDecisionTheReasonAndTheNormalizedCommand()
    {
        var (exit, output, _) = await DuckAsync("policy", "check", "sudo   rm -rf /var", "--workspace", workspace);

        Assert.Equal(0, exit);
        Assert.StartsWith("block: ", output, StringComparison.Ordinal);
        Assert.Contains("sudo", output, StringComparison.Ordinal);
        Assert.Contains("normalized:  sudo rm -rf /var", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWorkspaceDecidesWhatIsInside()
    {
        var inside = await DuckAsync("policy", "check", $"rm {workspace}/old.txt", "--workspace", workspace, "--json");
        var outside = await DuckAsync("policy", "check", "rm /srv/old.txt", "--workspace", workspace, "--json");

        Assert.Equal("approve", JsonDocument.Parse(inside.Output).RootElement.GetProperty("decision").GetString());
        Assert.Equal("block", JsonDocument.Parse(outside.Output).RootElement.GetProperty("decision").GetString());
    }

    [Fact]
    public async Task AMissingCommandLineIsAUsageError()
    {
        var (exit, output, errors) = await DuckAsync("policy", "check");

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains("Required argument missing", errors, StringComparison.Ordinal);
        Assert.Contains("duck --help", errors, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(workspace, recursive: true);
}
