namespace DuckWorker.Runtime.Stores;

/// <summary>A person's answer to an approval request: <c>allow_once</c>, <c>allow_forever</c> or <c>deny</c>.</summary>
public enum ApprovalDecision
{
    AllowOnce,
    AllowForever,
    Deny,
}
