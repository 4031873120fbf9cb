using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// Package managers install (network, high risk) or inspect (runs at once); build and test tools run the
/// project's own code (high risk). <c>sudo</c> in front of any of them is blocked by its own rule.
/// </summary>
internal static class PackageAndBuildCommands
{
    private static readonly Verdict ShowsHelp = Verdict.ReadsOnly("only prints help");

    public static IEnumerable<(string Name, CommandRule Rule)> Rules()
    {
        var system = new PackageManager(["list", "show", "search", "policy", "depends", "rdepends", "madison", "showpkg", "stats", "info", "query", "changelog"], [], [], PackageManager.Installs, ShowsHelp);
        foreach (var name in new[] { "apt", "apt-get", "aptitude", "yum", "dnf", "zypper", "apk", "snap", "flatpak", "brew", "port", "pkg", "emerge", "nix-env", "guix", "choco", "winget", "scoop", "gem", "bundle", "bundler", "composer", "cpan", "cpanm", "luarocks", "opam", "cabal", "stack", "rustup", "conda", "mamba", "micromamba", "pipx", "sdkmanager", "asdf", "mise", "volta", "nvm", "poetry", "pdm", "hatch", "pipenv", "nimble", "mix" })
        {
            yield return (name, system.Judge);
        }

        yield return ("apt-cache", invocation => invocation.Report(Verdict.ReadsOnly("only queries the package cache")));
        yield return ("dpkg-query", invocation => invocation.Report(Verdict.ReadsOnly("only queries installed packages")));
        yield return ("dpkg", JudgeDpkg);
        yield return ("rpm", JudgeRpm);
        yield return ("pacman", invocation => invocation.Report(invocation.Arguments.Skip(1).FirstOrDefault()?.Text.StartsWith("-Q", StringComparison.Ordinal) == true
            ? Verdict.ReadsOnly("only queries installed packages")
            : PackageManager.Installs("pacman")));

        var pip = new PackageManager(["list", "show", "freeze", "check", "debug", "inspect", "cache", "hash"], [], ["search", "index", "download"], PackageManager.Installs, ShowsHelp);
        foreach (var name in new[] { "pip", "pip3", "pip2" })
        {
            yield return (name, pip.Judge);
        }

        yield return ("uv", new PackageManager(["tree", "version", "python"], ["run", "tool", "venv"], [], PackageManager.Installs, ShowsHelp).Judge);
        var npm = new PackageManager(
            ["ls", "list", "ll", "la", "prefix", "root", "bin", "why", "explain", "get", "fund", "doctor", "query", "help-search"],
            ["run", "run-script", "test", "t", "tst", "start", "stop", "restart", "exec", "x", "explore", "init", "create", "pkg", "rebuild"],
            ["view", "info", "show", "v", "search", "s", "find", "outdated", "audit", "ping", "whoami", "owner", "access", "dist-tag", "repo", "docs", "bugs"],
            PackageManager.Installs,
            ShowsHelp);
        yield return ("npm", npm.Judge);
        yield return ("pnpm", (npm with { Otherwise = PackageManager.RunsScript }).Judge);
        yield return ("yarn", (npm with
        {
            RunVerbs = [.. npm.RunVerbs, "dlx", "node"],
            Otherwise = verb => verb is "add" or "install" or "remove" or "upgrade" or "up" or "upgrade-interactive" or "link" or "unlink" or "import" or "dedupe" or "global" or "publish" or "cache" or "set"
                ? PackageManager.Installs(verb)
                : PackageManager.RunsScript(verb),
            WithoutVerb = PackageManager.Installs("install"),
        }).Judge);
        foreach (var name in new[] { "npx", "pnpx", "bunx" })
        {
            yield return (name, invocation => invocation.Report(Verdict.RunsCode("downloads and runs a package")));
        }

        yield return ("cargo", new PackageManager(
            ["version", "locate-project", "pkgid", "verify-project", "read-manifest", "tree", "metadata", "--list", "config"],
            ["build", "b", "run", "r", "test", "t", "bench", "check", "c", "clippy", "doc", "d", "fix", "rustc", "rustdoc", "miri", "nextest", "watch", "expand", "fmt", "clean", "llvm-cov"],
            ["search", "info"],
            verb => verb is "install" or "uninstall" or "add" or "remove" or "update" or "fetch" or "publish" or "login" or "logout" or "owner" or "yank" or "vendor" or "generate-lockfile"
                ? PackageManager.Installs(verb)
                : Verdict.RunsCode($"runs a cargo plugin ({verb})"),
            ShowsHelp).Judge);
        yield return ("go", new PackageManager(
            ["version", "env", "list", "doc"],
            ["build", "run", "test", "generate", "vet", "tool", "fix", "fmt", "clean", "work"],
            [],
            verb => verb is "get" or "install" or "mod" ? PackageManager.Installs(verb) : Verdict.Uncertain($"runs a go command the policy does not know ({verb})"),
            ShowsHelp).Judge);
        yield return ("dotnet", new PackageManager(
            ["--info", "--list-sdks", "--list-runtimes", "sdk", "list", "nuget-why"],
            ["build", "test", "run", "publish", "pack", "watch", "msbuild", "vstest", "exec", "format", "ef", "fsi", "build-server", "dev-certs", "user-secrets"],
            [],
            verb => verb is "restore" or "add" or "tool" or "workload" or "nuget" or "package"
                ? PackageManager.Installs(verb)
                : verb is "new" or "remove" or "sln" or "clean" or "migrate"
                    ? Verdict.WritesWorkspace($"changes project files ({verb})")
                    : Verdict.RunsCode($"runs an application or tool ({verb})"),
            ShowsHelp).Judge);

        foreach (var name in new[]
        {
            "make", "gmake", "cmake", "ctest", "cpack", "ninja", "meson", "bazel", "bazelisk", "buck", "buck2", "scons", "ant", "mvn", "mvnw", "gradle", "gradlew", "sbt", "lein",
            "rake", "just", "task", "invoke", "tox", "nox", "pytest", "py.test", "jest", "vitest", "mocha", "phpunit", "rspec", "coverage", "pre-commit", "webpack",
            "vite", "esbuild", "rollup", "parcel", "turbo", "nx", "lerna", "eslint", "prettier", "black", "ruff", "mypy", "pylint", "flake8", "isort", "rubocop",
            "gofmt", "golangci-lint", "clang-format", "shellcheck", "xdg-open", "open", "code", "direnv", "foreman", "honcho", "supervisord",
        })
        {
            yield return (name, JudgeBuildTool);
        }
    }

    private static void JudgeBuildTool(Invocation invocation)
    {
        if (invocation.Arguments.Count == 2 && invocation.Arguments[1].Text is "--version" or "-v" or "-V" or "--help" or "-h" or "version")
        {
            invocation.Report(Verdict.ReadsOnly("only prints its version or help"));
            return;
        }

        invocation.Report(Verdict.RunsCode("runs project code, tests or tools"));
        PathChecks.Secrets(invocation.Context, invocation.Arguments.Skip(1));
        foreach (var directory in invocation.Arguments.SkipWhile(field => field.Text != "-C").Skip(1).Take(1))
        {
            PathChecks.Read(invocation.Context, directory, metadataOnly: true);
        }
    }

    private static void JudgeDpkg(Invocation invocation)
    {
        var first = invocation.Arguments.Skip(1).FirstOrDefault()?.Text ?? "";
        invocation.Report(first is "-l" or "-L" or "-s" or "-S" or "--list" or "--listfiles" or "--status" or "--search" or "--get-selections" or "--print-architecture" or "-c" or "--contents" or "-I" or "--info" or "--version" or "--help"
            ? Verdict.ReadsOnly("only queries packages")
            : PackageManager.Installs("dpkg"));
    }

    private static void JudgeRpm(Invocation invocation)
    {
        var first = invocation.Arguments.Skip(1).FirstOrDefault()?.Text ?? "";
        invocation.Report(first.StartsWith("-q", StringComparison.Ordinal) || first is "--query" or "--version" or "--help" or "-V" or "--verify"
            ? Verdict.ReadsOnly("only queries packages")
            : PackageManager.Installs("rpm"));
    }
}
