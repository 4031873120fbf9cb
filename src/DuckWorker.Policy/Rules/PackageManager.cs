using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// One package manager's verbs: which install or change packages (network, high risk), which run project
/// code (high risk), which only inspect (run at once) and which query a registry (network). A verb it does
/// not list is judged as <paramref name="Otherwise"/>: for most managers an install, for those that run
/// project scripts by name (<c>yarn build</c>) running code.
/// </summary>
internal sealed record PackageManager(
    string[] ReadVerbs,
    string[] RunVerbs,
    string[] QueryVerbs,
    Func<string, Verdict> Otherwise,
    Verdict WithoutVerb)
{
    private static readonly HashSet<string> VersionFlags = ["--version", "-v", "-V", "version", "--help", "-h", "help"];

    public void Judge(Invocation invocation)
    {
        var verb = invocation.Arguments.Skip(1).FirstOrDefault(field => !field.Text.StartsWith('-'))?.Text;
        var flags = invocation.Arguments.Skip(1).TakeWhile(field => field.Text.StartsWith('-')).Select(field => field.Text).ToList();
        if (verb is null)
        {
            invocation.Report(flags.Count > 0 && flags.All(VersionFlags.Contains) ? Verdict.ReadsOnly("only prints its version or help") : WithoutVerb);
            return;
        }

        if (VersionFlags.Contains(verb) || ReadVerbs.Contains(verb))
        {
            invocation.Report(Verdict.ReadsOnly($"only inspects packages ({verb})"));
        }
        else if (RunVerbs.Contains(verb))
        {
            invocation.Report(Verdict.RunsCode($"runs project code ({verb})"));
        }
        else if (QueryVerbs.Contains(verb))
        {
            invocation.Report(Verdict.UsesNetwork($"queries a package registry ({verb})"));
        }
        else
        {
            invocation.Report(Otherwise(verb));
        }
    }

    public static Verdict Installs(string verb) => Verdict.InstallsPackages($"installs or changes packages ({verb})");

    public static Verdict RunsScript(string verb) => Verdict.RunsCode($"runs a project script ({verb})");
}
