using DuckWorker.Policy.Syntax;

namespace DuckWorker.Policy.Judging;

/// <summary>
/// Commands whose output is a list of paths under known directories: <c>find ROOTS …</c> without actions that
/// print anything else, and <c>git ls-files</c>. <c>wc -l $(git ls-files)</c> then reads inside the workspace
/// instead of "something unknown".
/// </summary>
internal static class PathListing
{
    private static readonly HashSet<string> OtherOutput = ["-exec", "-execdir", "-ok", "-okdir", "-printf", "-fprintf", "-ls", "-fls", "-print0", "-fprint", "-fprint0", "-delete"];

    /// <summary>True for <c>$(pwd)</c>: its output is the working directory, which the policy follows.</summary>
    public static bool IsWorkingDirectory(ShellScript script) =>
        script.Items is [{ Chain.Pipelines: [{ Commands: [SimpleCommand { Assignments.Count: 0, Redirections.Count: 0 } command] }] }]
        && command.Words.Select(word => word.LiteralValue).ToList() is ["pwd"] or ["pwd", "-L"] or ["pwd", "-P"];

    public static IReadOnlyList<string>? Roots(ShellScript script)
    {
        if (script.Items is not [{ Chain.Pipelines: [{ Commands: [SimpleCommand { Assignments.Count: 0 } command] }] }]
            || command.Redirections.Any(redirection => redirection.EffectiveFd != 2))
        {
            return null;
        }

        var words = command.Words.Select(word => word.LiteralValue).ToList();
        if (words.Count == 0 || words.Any(word => word is null))
        {
            return null;
        }

        if (words is ["git", "ls-files", ..])
        {
            return ["."];
        }

        if (words[0] != "find" || words.Any(word => OtherOutput.Contains(word!)))
        {
            return null;
        }

        var roots = words.Skip(1).TakeWhile(word => word!.Length > 0 && word[0] != '-' && word is not ("(" or "!")).Select(word => word!).ToList();
        return roots.Count == 0 ? ["."] : roots;
    }
}
