using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// What a variable does to the programs that inherit it. A command's environment (<c>VAR=value cmd</c>,
/// <c>env VAR=value cmd</c>, <c>export VAR=value</c>) is read by every program it starts, and many programs take
/// options, configuration, code or output files from it: <c>GIT_TRACE=/root/.ssh/authorized_keys git version</c>
/// writes outside the workspace, <c>TAR_OPTIONS=--checkpoint-action=exec=…</c> runs a command. So only a short
/// list of variables known to be inert passes without approval; those that load code, name a program to run or a
/// file to write, or move where configuration is read from are blocked; any other needs approval.
/// </summary>
internal static class EnvironmentVariables
{
    /// <summary>Locale, time zone, terminal size and colour, CI markers, identities: they change how text looks, never what runs or where it goes.</summary>
    private static readonly HashSet<string> Inert =
    [
        "LANG", "LANGUAGE", "LC_ALL", "LC_ADDRESS", "LC_COLLATE", "LC_CTYPE", "LC_IDENTIFICATION", "LC_MEASUREMENT",
        "LC_MESSAGES", "LC_MONETARY", "LC_NAME", "LC_NUMERIC", "LC_PAPER", "LC_TELEPHONE", "LC_TIME", "TZ", "COLUMNS", "LINES", "TERM", "NO_COLOR", "FORCE_COLOR", "CLICOLOR", "CLICOLOR_FORCE",
        "CI", "DEBIAN_FRONTEND", "SOURCE_DATE_EPOCH", "TIME_STYLE", "QUOTING_STYLE", "TIMEFORMAT", "POSIXLY_CORRECT",
        "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "PYTHONIOENCODING", "PYTHONHASHSEED", "NODE_ENV", "RUST_BACKTRACE",
        "DOTNET_CLI_TELEMETRY_OPTOUT", "DOTNET_NOLOGO", "DOTNET_SKIP_FIRST_TIME_EXPERIENCE",
        "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
        "GIT_COMMITTER_DATE", "GIT_TERMINAL_PROMPT", "GIT_OPTIONAL_LOCKS",
    ];

    /// <summary>Variables that make a program load code, run a program they name, write where they name, or read configuration from elsewhere.</summary>
    private static readonly HashSet<string> Blocked =
    [
        // The dynamic linker and libc load libraries and modules from these.
        "GCONV_PATH", "LOCPATH", "NLSPATH", "MALLOC_TRACE",

        // Bash runs these at start-up or on every command, or writes its trace where they say.
        "BASH_ENV", "ENV", "PS4", "PROMPT_COMMAND", "SHELLOPTS", "BASHOPTS", "BASH_XTRACEFD", "BASH_LOADABLES_PATH", "SHELL",

        // Interpreters run start-up code, load modules or take options from these.
        "PERL5OPT", "PERL5LIB", "PERLLIB", "PERL5DB", "PYTHONSTARTUP", "PYTHONPATH", "PYTHONHOME", "PYTHONWARNINGS",
        "PYTHONBREAKPOINT", "NODE_OPTIONS", "NODE_PATH", "RUBYOPT", "RUBYLIB", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
        "JDK_JAVA_OPTIONS", "DOTNET_STARTUP_HOOKS", "LUA_INIT", "LUA_PATH", "LUA_CPATH", "PHPRC", "PHP_INI_SCAN_DIR",

        // Tools run the program these name (pagers, editors, password prompts, remote shells, input filters).
        "PAGER", "MANPAGER", "SYSTEMD_PAGER", "EDITOR", "VISUAL", "FCEDIT", "BROWSER", "SSH_ASKPASS", "SUDO_ASKPASS",
        "RSYNC_RSH", "CVS_RSH", "LESSOPEN", "LESSCLOSE", "LESS", "LESSKEY", "LESSKEYIN", "LESSKEY_SYSTEM", "MORE", "MANOPT",
        "GZIP", "BZIP", "BZIP2", "UNZIP", "ZIP",

        // Configuration is read from here: a planted file there can name programs to run.
        "HOME", "XDG_CONFIG_HOME", "XDG_CONFIG_DIRS", "ZDOTDIR", "INPUTRC", "WGETRC", "CURL_HOME",

        // Writes secrets where it names.
        "SSLKEYLOGFILE",
    ];

    /// <summary>Name prefixes of the same kinds: linker variables, exported functions, git's (trace files, programs, config, repository paths), npm's config.</summary>
    private static readonly string[] BlockedPrefixes = ["LD_", "DYLD_", "BASH_FUNC_", "GIT_", "CORECLR_", "NPM_CONFIG_", "LESSKEY"];

    /// <summary>Name endings of options and configuration files (<c>TAR_OPTIONS</c>, <c>XZ_OPT</c>, <c>MAVEN_OPTS</c>, <c>OPENSSL_CONF</c>, <c>KUBECONFIG</c>).</summary>
    private static readonly string[] BlockedSuffixes = ["OPT", "OPTS", "OPTIONS", "_CONF", "CONFIG", "_CONFIG_FILE", "_CONFIG_PATH"];

    /// <summary>Change which programs run or where temporary files go; worth a look, but ordinary in builds.</summary>
    private static readonly HashSet<string> Behavioural = ["PATH", "TMPDIR", "TMP", "TEMP", "IFS", "CDPATH", "GLOBIGNORE"];

    /// <summary>Only serve to erase the audit trail.</summary>
    private static readonly HashSet<string> History = ["HISTFILE", "HISTSIZE", "HISTFILESIZE"];

    public static bool IsHistory(string name) => History.Contains(name);

    /// <summary>A variable the command's environment carries: only inert ones pass, and those that load code or redirect output are blocked.</summary>
    public static Verdict? JudgeExported(string name)
    {
        if (History.Contains(name))
        {
            return Verdict.Destroys($"tampers with the shell history ({name})");
        }

        if (IsInert(name))
        {
            return null;
        }

        if (IsBlocked(name) || BlockedSuffixes.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal)))
        {
            return Verdict.TakesOver($"passes {name} to the programs it runs, which makes them load code, run a program, or write or read configuration where it says");
        }

        return Behavioural.Contains(name)
            ? Verdict.ControlsProcesses($"sets {name}, which changes how commands run")
            : Verdict.Uncertain($"passes {name} to the programs it runs, which the policy does not know to be inert");
    }

    /// <summary>
    /// A shell variable the line sets without exporting it: programs see it only where the worker's environment already
    /// exports the name (or after <c>set -a</c>), so the dangerous names need approval; the history variables are blocked.
    /// </summary>
    public static Verdict? JudgeShellVariable(string name)
    {
        if (History.Contains(name))
        {
            return Verdict.Destroys($"tampers with the shell history ({name})");
        }

        return !IsInert(name) && (IsBlocked(name) || Behavioural.Contains(name))
            ? Verdict.ControlsProcesses($"sets {name}, which changes how commands run")
            : null;
    }

    /// <summary>The locale categories by name, not every <c>LC_</c> name: <c>LC_OPTIONS</c> is as unknown as any other.</summary>
    private static bool IsInert(string name) => Inert.Contains(name);

    /// <summary>npm also reads its configuration from lower-case <c>npm_config_*</c> names.</summary>
    private static bool IsBlocked(string name) =>
        Blocked.Contains(name)
        || BlockedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal))
        || name.StartsWith("npm_config_", StringComparison.OrdinalIgnoreCase);
}
