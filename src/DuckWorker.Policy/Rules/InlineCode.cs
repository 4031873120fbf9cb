using System.Text.RegularExpressions;
using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// Judges code given to an interpreter on its command line or input. Running it needs approval; code that was
/// downloaded or decoded, code that looks like a reverse shell (a socket joined to a shell), and code that
/// names a secret file are blocked; the commands, deletions and writes it visibly makes are judged as such
/// (<see cref="InlineCodeEffects"/>). The text checks are heuristics on top of approval, never a reason to run.
/// </summary>
internal static partial class InlineCode
{
    public static void Judge(Invocation invocation, Field code, string language)
    {
        if (code.Origin.HasFlag(FieldOrigin.Download))
        {
            invocation.Report(Verdict.TakesOver($"runs {language} code that was downloaded or decoded"));
        }

        if (ReverseShell().IsMatch(code.Text) && ShellSpawn().IsMatch(code.Text))
        {
            invocation.Report(Verdict.TakesOver($"runs {language} code that joins a network socket to a shell (a reverse shell)"));
        }

        if (SecretMention().Match(code.Text) is { Success: true } secret)
        {
            invocation.Report(Verdict.TakesOver($"runs {language} code that touches a secret ({secret.Value})"));
        }

        InlineCodeEffects.Judge(invocation, code, language);
        invocation.Report(code.Origin.HasFlag(FieldOrigin.CommandOutput)
            ? Verdict.RunsCode($"runs {language} code produced by another command")
            : Verdict.RunsCode($"runs inline {language} code"));
    }

    [GeneratedRegex(@"socket|fsockopen|TCPSocket|net\.connect|new\s+Socket|/dev/tcp/|/dev/udp/", RegexOptions.IgnoreCase)]
    private static partial Regex ReverseShell();

    [GeneratedRegex(@"/bin/(ba|z|da|k)?sh|\bsh\s+-i|pty\.spawn|subprocess|dup2|\bexec\b|spawn|system|popen|child_process|IO\.popen|proc_open", RegexOptions.IgnoreCase)]
    private static partial Regex ShellSpawn();

    [GeneratedRegex(@"/etc/(g?shadow|sudoers)|\.ssh/|\.aws/credentials|\.gnupg|/proc/[^/\s'""]+/environ|\.netrc|\.git-credentials|\bid_(rsa|dsa|ecdsa|ed25519)\b")]
    private static partial Regex SecretMention();
}
