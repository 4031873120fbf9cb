using DuckWorker.Policy;

namespace DuckWorker.Policy.Judging;

/// <summary>
/// The policy's vocabulary: every judgement is one of these categories, so decision, action type and risk
/// level always agree.
/// <list type="table">
/// <listheader><term>category</term><description>decision / action type / risk</description></listheader>
/// <item><term><see cref="ReadsOnly"/></term><description>run / read / low</description></item>
/// <item><term><see cref="ReadsOutside"/></term><description>approve / read / medium: system files, the environment</description></item>
/// <item><term><see cref="WritesWorkspace"/></term><description>approve / write / medium</description></item>
/// <item><term><see cref="ChangesWorkspaceBroadly"/></term><description>approve / write / high: recursive deletes, globs, <c>git reset --hard</c></description></item>
/// <item><term><see cref="UsesNetwork"/></term><description>approve / network / medium</description></item>
/// <item><term><see cref="InstallsPackages"/></term><description>approve / network / high</description></item>
/// <item><term><see cref="ChangesRemoteSystems"/></term><description>approve / network / high: cloud and cluster tools, force pushes</description></item>
/// <item><term><see cref="ControlsProcesses"/></term><description>approve / process / medium: signals, services, background jobs</description></item>
/// <item><term><see cref="RunsCode"/></term><description>approve / process / high: interpreters, build tools, scripts</description></item>
/// <item><term><see cref="Uncertain"/></term><description>approve / unknown / medium: unknown commands, anything not parsed with certainty</description></item>
/// <item><term><see cref="Destroys"/></term><description>block / destructive / critical: deletes or overwrites outside the workspace, disks, fork bombs</description></item>
/// <item><term><see cref="TakesOver"/></term><description>block / privileged / critical: root, kernel, persistence, secrets, remote code</description></item>
/// </list>
/// </summary>
internal sealed record Verdict(CommandDecision Decision, CommandActionType ActionType, RiskLevel RiskLevel, string Why)
{
    public static Verdict ReadsOnly(string why) => new(CommandDecision.Run, CommandActionType.Read, RiskLevel.Low, why);

    public static Verdict ReadsOutside(string why) => new(CommandDecision.Approve, CommandActionType.Read, RiskLevel.Medium, why);

    public static Verdict WritesWorkspace(string why) => new(CommandDecision.Approve, CommandActionType.Write, RiskLevel.Medium, why);

    public static Verdict ChangesWorkspaceBroadly(string why) => new(CommandDecision.Approve, CommandActionType.Write, RiskLevel.High, why);

    public static Verdict UsesNetwork(string why) => new(CommandDecision.Approve, CommandActionType.Network, RiskLevel.Medium, why);

    public static Verdict InstallsPackages(string why) => new(CommandDecision.Approve, CommandActionType.Network, RiskLevel.High, why);

    public static Verdict ChangesRemoteSystems(string why) => new(CommandDecision.Approve, CommandActionType.Network, RiskLevel.High, why);

    public static Verdict ControlsProcesses(string why) => new(CommandDecision.Approve, CommandActionType.Process, RiskLevel.Medium, why);

    public static Verdict RunsCode(string why) => new(CommandDecision.Approve, CommandActionType.Process, RiskLevel.High, why);

    public static Verdict Uncertain(string why) => new(CommandDecision.Approve, CommandActionType.Unknown, RiskLevel.Medium, why);

    public static Verdict Destroys(string why) => new(CommandDecision.Block, CommandActionType.Destructive, RiskLevel.Critical, why);

    public static Verdict TakesOver(string why) => new(CommandDecision.Block, CommandActionType.Privileged, RiskLevel.Critical, why);

    /// <summary>Orders verdicts by how much they restrict: decision first, then risk.</summary>
    public int Severity => ((int)Decision * 10) + (int)RiskLevel;
}
