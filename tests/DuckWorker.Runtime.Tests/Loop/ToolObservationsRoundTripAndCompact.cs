using System.Text.Json.Nodes;
using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;

namespace DuckWorker.Runtime.Tests.Loop;

public sealed class ToolObservationsRoundTripAndCompact
{
    private static readonly ToolAction Write = new("fs_write", new JsonObject { ["path"] = "a.txt", ["content"] = "x" }, "save");

    public static TheoryData<string> Kinds => ["finished", "pending", "denied", "malformed"];

    private static ToolObservation Of(string kind) => kind switch
    {
        "finished" => ToolObservation.Finished(1, Write, ToolResult.Success("done", new JsonObject { ["returncode"] = 0 })),
        "pending" => ToolObservation.Finished(2, Write, ToolResult.Failure("needs approval", new JsonObject { ["requiresApproval"] = true })) with { RequiresApproval = true, ApprovalId = "a1" },
        "denied" => ToolObservation.Finished(3, Write, ToolResult.Failure("Tool action denied by user.")) with { Decision = ApprovalDecision.Deny },
        _ => ToolObservation.Malformed(4, "Action must be an object"),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AnObservationReadsBackFromItsEventForm(string kind)
    {
        var observation = Of(kind);

        var read = ToolObservation.FromJson(JsonNode.Parse(observation.ToJson().ToJsonString())!.AsObject());

        Assert.Equal(observation.ToJson().ToJsonString(), read.ToJson().ToJsonString());
        Assert.Equal((observation.RequiresApproval, observation.ApprovalId, observation.Decision, observation.Error), (read.RequiresApproval, read.ApprovalId, read.Decision, read.Error));
    }

    [Fact]
    public void TheEventFormUsesTheSeedsKeys()
    {
        Assert.Equal(["index", "tool", "args", "reason", "requires_approval", "approval_id", "result"], Of("pending").ToJson().Select(p => p.Key));
        Assert.Equal(["index", "ok", "error"], Of("malformed").ToJson().Select(p => p.Key));
        Assert.Equal("deny", Of("denied").ToJson()["decision"]!.GetValue<string>());
    }

    [Fact]
    public void ThePromptFormKeepsOnlyWhatTheModelNeeds()
    {
        Assert.Equal("""{"index":1,"tool":"fs_write","args":{"path":"a.txt","content":"x"},"ok":true,"output":"done","returncode":0}""", Of("finished").ToPromptJson().ToJsonString());
        Assert.Equal("""{"index":2,"tool":"fs_write","args":{"path":"a.txt","content":"x"},"status":"waiting_for_approval"}""", Of("pending").ToPromptJson().ToJsonString());
        Assert.Equal("""{"index":3,"tool":"fs_write","args":{"path":"a.txt","content":"x"},"status":"denied_by_user","ok":false,"error":"Tool action denied by user."}""", Of("denied").ToPromptJson().ToJsonString());
    }
}
