using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// Language interpreters: running code always needs approval (high risk); printing a version runs at once;
/// downloaded or decoded code, reverse shells and code naming secrets are blocked (see <see cref="InlineCode"/>).
/// </summary>
internal static class InterpreterCommands
{
    public static IEnumerable<(string Name, CommandRule Rule)> Rules()
    {
        var python = new Interpreter("python", ["-c"], ["-m"], "WXQ", ["--check-hash-based-pycs"]);
        foreach (var name in new[] { "python", "python2", "python3", "pypy", "pypy3", "python3.8", "python3.9", "python3.10", "python3.11", "python3.12", "python3.13", "python3.14" })
        {
            yield return (name, python.Judge);
        }

        var node = new Interpreter("javascript", ["-e", "--eval", "-p", "--print"], [], "rC", ["--require", "--import", "--loader", "--experimental-loader", "--input-type", "--title", "--conditions", "--env-file"]);
        foreach (var name in new[] { "node", "nodejs", "bun", "tsx", "ts-node" })
        {
            yield return (name, node.Judge);
        }

        yield return ("deno", invocation => invocation.Report(Verdict.RunsCode("runs javascript code")));
        var perl = new Interpreter("perl", ["-e", "-E"], ["-M", "-m"], "IxlC", [], CodeLetterInClusters: true);
        yield return ("perl", perl.Judge);
        yield return ("ruby", new Interpreter("ruby", ["-e"], [], "IrCEx", [], CodeLetterInClusters: true).Judge);
        yield return ("php", new Interpreter("php", ["-r"], [], "cdfz", []).Judge);
        var lua = new Interpreter("lua", ["-e"], ["-l"], "", []);
        foreach (var name in new[] { "lua", "luajit", "lua5.1", "lua5.3", "lua5.4" })
        {
            yield return (name, lua.Judge);
        }

        yield return ("Rscript", new Interpreter("R", ["-e"], [], "", []).Judge);
        yield return ("R", new Interpreter("R", ["-e"], [], "", []).Judge);
        yield return ("julia", new Interpreter("julia", ["-e", "-E"], [], "pLJ", ["--project"]).Judge);
        yield return ("osascript", new Interpreter("applescript", ["-e"], [], "l", []).Judge);
        var powershell = new Interpreter("powershell", ["-c", "-Command", "-command"], [], "", ["-File", "-f", "-ExecutionPolicy"]);
        yield return ("pwsh", invocation => JudgePowershell(invocation, powershell));
        yield return ("powershell", invocation => JudgePowershell(invocation, powershell));
        foreach (var name in new[] { "tclsh", "wish", "groovy", "scala", "kotlin", "swift", "elixir", "erl", "escript", "runghc", "runhaskell", "ghci", "guile", "racket", "sbcl", "clisp", "ocaml", "java", "jshell", "dotnet-script", "expect" })
        {
            yield return (name, new Interpreter(name, ["-e", "-c"], [], "", ["-cp", "-classpath", "--class-path"]).Judge);
        }
    }

    /// <summary>An encoded command is a payload the reviewer cannot read: blocked.</summary>
    private static void JudgePowershell(Invocation invocation, Interpreter interpreter)
    {
        if (invocation.Arguments.Skip(1).Any(field => field.Text.ToLowerInvariant() is "-encodedcommand" or "-enc" or "-e" or "-ec" or "-en" or "-encoded"))
        {
            invocation.Report(Verdict.TakesOver("runs an encoded command nobody can read"));
            return;
        }

        interpreter.Judge(invocation);
    }
}
