namespace DuckWorker.Policy.Syntax;

/// <summary>One <c>if</c>/<c>elif</c> condition and the list it guards.</summary>
internal sealed record ConditionalBranch(ShellScript Condition, ShellScript Body);
