using System.Collections.Frozen;
using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// The rule table: which rule judges each command name. Categories and what they decide are listed on
/// <see cref="Verdict"/>; the groups are:
/// <list type="bullet">
/// <item><see cref="ReadOnlyCommands"/>: run at once when everything they read is in the workspace.</item>
/// <item><see cref="PagerCommands"/>, <see cref="TextCommands"/>, <see cref="FindCommand"/>: read-only unless they edit, write or run something.</item>
/// <item><see cref="FileCommands"/>, <see cref="ArchiveCommands"/>: approval inside the workspace, blocked outside.</item>
/// <item><see cref="WrapperCommands"/>, <see cref="ShellCommands"/>: judge the command or code they run.</item>
/// <item><see cref="InterpreterCommands"/>, <see cref="PackageAndBuildCommands"/>: run code or install: approval, high risk.</item>
/// <item><see cref="NetworkCommands"/>, <see cref="GitCommand"/>: network needs approval; remote code and shells are blocked.</item>
/// <item><see cref="ProcessCommands"/>: process control needs approval; killing everything, power and scheduling are blocked.</item>
/// <item><see cref="PrivilegedCommands"/>: blocked.</item>
/// </list>
/// A name with no rule needs approval.
/// <para>Judgement calls, where the brief left the choice open:</para>
/// <list type="bullet">
/// <item>Reading outside the workspace (<c>cat /etc/passwd</c>, <c>ls /tmp</c>, <c>ls ~</c>) needs approval; reading a secret
/// is blocked; listing a secret location (<c>ls ~/.ssh</c>) only needs approval; <c>test -f</c> on any path runs.</item>
/// <item>Every write outside the workspace is blocked, <c>/tmp</c> included: tools are confined to the workspace. Only
/// <c>/dev/null</c>, <c>/dev/zero</c>, <c>/dev/tty</c>, the standard streams and <c>/dev/fd/N</c> may be written.</item>
/// <item><c>tail -f</c> needs approval (it never ends); <c>less</c> and <c>more</c> run (without a terminal they print) unless
/// a <c>+</c> argument gives them a command other than moving to a line or pattern;
/// <c>env</c>, <c>printenv</c>, <c>set</c> and <c>export</c> without arguments need approval (they show secrets).</item>
/// <item><c>rm</c> of a path an expansion starts (<c>rm -rf $X/</c>, <c>rm -rf "$D"/*</c>) is blocked when recursive and
/// needs approval otherwise; <c>rm -rf .*</c> is blocked, since the glob can match <c>..</c>.</item>
/// <item>Deleting the workspace itself needs approval at high risk, not a block: it is the task's own directory.</item>
/// <item>A symbolic or hard link to a path outside the workspace is blocked: later writes through it would land outside.</item>
/// <item><c>git config --global</c> is blocked like any write outside the workspace; <c>crontab -l</c> is blocked with the
/// rest of <c>crontab</c>; all <c>/dev/tcp</c> redirections are blocked.</item>
/// <item>A command name that comes from any expansion needs approval even when its value is known (<c>${IFS}ls</c>); the
/// known value is still judged, so <c>rm${IFS}-rf${IFS}/</c> is blocked.</item>
/// <item>Piping into a shell or interpreter needs approval; blocked when anything upstream fetched from the network or
/// decoded (<c>base64</c>, <c>xxd</c>, <c>rev</c>, <c>tr</c>, decompressors); judged as code when the text is literal.</item>
/// <item>Code in other languages is never parsed: it needs approval, and is blocked for reverse-shell shapes, encoded
/// PowerShell, a literal secret path, forks in a loop, or a literal command, deletion or write that is blocked on its own
/// (<see cref="InlineCodeEffects"/>). <c>ssh host CMD</c> has CMD judged as if it ran here.</item>
/// <item>Environment variables passed to a command pass only when known to be inert; see <see cref="EnvironmentVariables"/>.</item>
/// <item>Text bash evaluates (arithmetic, subscripts, <c>${x@P}</c>) is judged by the commands in it; see <see cref="EvaluatedText"/>.</item>
/// </list>
/// </summary>
internal static class CommandRuleBook
{
    private static readonly FrozenDictionary<string, CommandRule> Rules = ReadOnlyCommands.Rules()
        .Concat(PagerCommands.Rules())
        .Concat(TextCommands.Rules())
        .Concat(FindCommand.Rules())
        .Concat(FileCommands.Rules())
        .Concat(ArchiveCommands.Rules())
        .Concat(WrapperCommands.Rules())
        .Concat(ShellCommands.Rules())
        .Concat(InterpreterCommands.Rules())
        .Concat(PackageAndBuildCommands.Rules())
        .Concat(NetworkCommands.Rules())
        .Concat(GitCommand.Rules())
        .Concat(ProcessCommands.Rules())
        .Concat(PrivilegedCommands.Rules())
        .ToFrozenDictionary(rule => rule.Name, rule => rule.Rule, StringComparer.Ordinal);

    /// <summary>Every command name the table knows, for matching a glob that names a command.</summary>
    public static IEnumerable<string> Names => Rules.Keys;

    public static CommandRule? Find(string name) => Rules.GetValueOrDefault(name) ?? PrivilegedCommands.ForPrefix(name);
}
