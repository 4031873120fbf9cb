using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DuckWorker.Policy;
using DuckWorker.Runtime.Tools;
using DuckWorker.Runtime.Tools.Shell;

namespace DuckWorker.Runtime.Tests.Tools.Shell;

public sealed class TheNetworkIsReachableOnlyByANetworkAction : IDisposable
{
    private readonly SandboxScene scene = new();

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);

    public TheNetworkIsReachableOnlyByANetworkAction() => listener.Start();

    private int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    private string Connect => string.Create(CultureInfo.InvariantCulture, $"exec 3<>/dev/tcp/127.0.0.1/{Port} && echo connected");

    [Fact]
    public async Task WithoutNetworkEvenTheHostsLoopbackListenerIsUnreachable()
    {
        SandboxScene.SkipUnlessBubblewrapWorks();

        var ran = await scene.RunAsync(Connect, ShellNetwork.Denied);

        Assert.NotEqual(0, ran.ExitCode);
        Assert.DoesNotContain("connected", ran.Output, StringComparison.Ordinal);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task WithNetworkTheSameConnectionReachesTheListener()
    {
        SandboxScene.SkipUnlessBubblewrapWorks();

        var ran = await scene.RunAsync(Connect, ShellNetwork.Allowed);

        Assert.Equal((0, "connected\n"), (ran.ExitCode, ran.Output));
        using var accepted = await listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task TheToolGivesTheNetworkOnlyToACommandThePolicyJudgesANetworkAction()
    {
        SandboxScene.SkipUnlessBubblewrapWorks();
        if (!File.Exists("/usr/bin/curl"))
        {
            Assert.Skip("curl is not installed: no command the policy judges a network action can be run here.");
        }

        var tool = new ShellExecTool(new CommandPolicy(), SandboxScene.Runner(SandboxScene.Options()));
        var context = new ToolContext("t", scene.Workspace);
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/");
        var viaCurl = new ToolAction(ToolNames.Shell, new() { ["command"] = $"curl -s -m 5 -o /dev/null {url}" }, null);
        var viaBash = new ToolAction(ToolNames.Shell, new() { ["command"] = Connect }, null);
        Assert.Equal("network", tool.Assess(viaCurl, context).Metadata[ToolMetadata.ActionType]!.GetValue<string>());
        Assert.NotEqual("network", tool.Assess(viaBash, context).Metadata[ToolMetadata.ActionType]!.GetValue<string>());

        var bash = await tool.RunAsync(viaBash, context, TestContext.Current.CancellationToken);
        Assert.False(bash.Ok);
        Assert.False(listener.Pending());

        // curl sends its request and waits for an answer that never comes; the listener sees the connection.
        var curl = tool.RunAsync(viaCurl, context, TestContext.Current.CancellationToken);
        using var accepted = await listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
        accepted.Close();
        await curl;
    }

    public void Dispose()
    {
        listener.Dispose();
        scene.Dispose();
    }
}
