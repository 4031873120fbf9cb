using System.Text.Json.Nodes;
using DuckWorker.Runtime.Stores;
using DuckWorker.Runtime.Tools;

namespace DuckWorker.Runtime.Approvals;

/// <summary>
/// Judges a call as a person edited it before allowing it: by the same tool and policy that judged the call the
/// model proposed, in the same task and workspace. An edit is only ever a new proposal; the policy has the last
/// word, so an edit can never make a blocked call run. The worker judges every edit it receives with this, and
/// an approver (duck, the console) judges one with it before sending it.
/// </summary>
public sealed class ApprovalEdits(ToolGateway tools)
{
    /// <summary>The edited call, judged; <see cref="EditJudgement.Refusal"/> says why it cannot be allowed (blocked, or malformed).</summary>
    public EditJudgement Judge(Approval approval, JsonObject editedArgs)
    {
        var call = tools.Prepare(approval.Action with { Args = (JsonObject)editedArgs.DeepClone() }, new ToolContext(approval.TaskId, approval.Workspace));
        var refusal = call.Assessment.Verdict switch
        {
            ToolVerdict.Block => $"The edited {approval.Action.Tool} call is blocked by the policy, so it cannot be allowed: {call.Assessment.Reason}",
            ToolVerdict.Invalid => $"The edited {approval.Action.Tool} call is not valid: {call.Assessment.Reason}",
            _ => null,
        };
        return new EditJudgement(call, refusal);
    }
}
