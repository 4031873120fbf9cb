using System.Text.Json.Nodes;
using DuckWorker.Runtime.Tools;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tests.Tools;

public sealed class TheToolGatewayAppliesEveryVerdict
{
    private sealed class RecordingTool(ToolVerdict verdict, Func<ToolResult>? run = null) : ITool
    {
        public int Runs { get; private set; }

        public string Name => "probe";

        public string Usage => "{} probes.";

        public ToolAssessment Assess(ToolAction action, ToolContext context) =>
            new(verdict, $"verdict {verdict}", "high", new NormalizedAction(Name, "key"), "probe forever", new JsonObject { ["extra"] = 1 });

        public Task<ToolResult> RunAsync(ToolAction action, ToolContext context, CancellationToken cancellationToken)
        {
            Runs++;
            return Task.FromResult(run?.Invoke() ?? ToolResult.Success("ran", new JsonObject { ["returncode"] = 0 }));
        }
    }

    private static readonly ToolContext Context = new("t1", "/nowhere");

    private static (ToolGateway Gateway, RecordingTool Tool) Gateway(ToolVerdict verdict, Func<ToolResult>? run = null, int maxOutputBytes = 65536)
    {
        var tool = new RecordingTool(verdict, run);
        var options = Options.Create(new ToolsOptions { WorkspaceRoot = "/", MaxOutputBytes = maxOutputBytes });
        return (new ToolGateway([tool], new Workspaces(options), options), tool);
    }

    private static ToolAction Probe => new("probe", [], "test");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ABlockedCallNeverRunsEvenWhenApproved(bool approved)
    {
        var (gateway, tool) = Gateway(ToolVerdict.Block);

        var result = await gateway.RunAsync(gateway.Prepare(Probe, Context), approved, TestContext.Current.CancellationToken);

        Assert.Equal(0, tool.Runs);
        Assert.False(result.Ok);
        Assert.Equal("verdict Block", result.Error);
        Assert.True(result.Metadata["blocked"]!.GetValue<bool>());
        Assert.False(result.RequiresApproval);
    }

    [Fact]
    public async Task ACallThatNeedsApprovalWaitsUntilItIsApproved()
    {
        var (gateway, tool) = Gateway(ToolVerdict.Approve);
        var call = gateway.Prepare(Probe, Context);

        var waiting = await gateway.RunAsync(call, approved: false, TestContext.Current.CancellationToken);
        Assert.Equal(0, tool.Runs);
        Assert.True(waiting.RequiresApproval);
        Assert.True(call.NeedsApproval);

        var ran = await gateway.RunAsync(call, approved: true, TestContext.Current.CancellationToken);
        Assert.Equal(1, tool.Runs);
        Assert.True(ran.Ok);
        Assert.False(ran.RequiresApproval);
        Assert.Equal(("high", 0, 1), (ran.Metadata["riskLevel"]!.GetValue<string>(), ran.Metadata["returncode"]!.GetValue<int>(), ran.Metadata["extra"]!.GetValue<int>()));
    }

    [Fact]
    public async Task AMalformedCallFailsWithoutRunning()
    {
        var (gateway, tool) = Gateway(ToolVerdict.Invalid);

        var result = await gateway.RunAsync(gateway.Prepare(Probe, Context), approved: true, TestContext.Current.CancellationToken);

        Assert.Equal((0, false, false), (tool.Runs, result.Ok, result.RequiresApproval));
    }

    [Fact]
    public async Task AnUnknownToolNamesTheToolsThereAre()
    {
        var (gateway, _) = Gateway(ToolVerdict.Run);

        var result = await gateway.RunAsync(gateway.Prepare(new ToolAction("nope", [], null), Context), approved: true, TestContext.Current.CancellationToken);

        Assert.Equal("Unknown tool 'nope'. Available tools: probe.", result.Error);
    }

    [Fact]
    public async Task AnInputOutputErrorOfTheToolIsAFailedResult()
    {
        var (gateway, _) = Gateway(ToolVerdict.Run, () => throw new IOException("disk on fire"));

        var result = await gateway.RunAsync(gateway.Prepare(Probe, Context), approved: false, TestContext.Current.CancellationToken);

        Assert.Equal((false, "probe failed: disk on fire"), (result.Ok, result.Error));
    }

    [Fact]
    public async Task OutputIsCappedAndMarkedTruncated()
    {
        var (gateway, _) = Gateway(ToolVerdict.Run, () => ToolResult.Success(new string('y', 10_000)), maxOutputBytes: 2048);

        var result = await gateway.RunAsync(gateway.Prepare(Probe, Context), approved: false, TestContext.Current.CancellationToken);

        Assert.True(System.Text.Encoding.UTF8.GetByteCount(result.Output!) <= 2048);
        Assert.True(result.Metadata["truncated"]!.GetValue<bool>());
    }
}
