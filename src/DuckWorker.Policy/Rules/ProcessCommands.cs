using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// Process and service control needs approval; killing every process (<c>kill -9 -1</c>, <c>killall5</c>) or
/// init, powering off or rebooting (however spelled), and scheduling commands for later are blocked.
/// Inspecting other processes needs approval, since their command lines and environment may hold secrets.
/// Containers run project code; flags that hand a container the host are blocked.
/// </summary>
internal static class ProcessCommands
{
    private static readonly HashSet<string> PowerVerbs =
        ["poweroff", "reboot", "halt", "kexec", "suspend", "hibernate", "hybrid-sleep", "suspend-then-hibernate", "emergency", "rescue", "default", "isolate", "soft-reboot", "exit"];

    private static readonly HashSet<string> ServiceReadVerbs =
        ["status", "is-active", "is-enabled", "is-failed", "list-units", "list-unit-files", "list-timers", "list-sockets", "list-jobs", "show", "list-dependencies", "get-default", "cat", "help", "--version"];

    public static IEnumerable<(string Name, CommandRule Rule)> Rules()
    {
        yield return ("kill", JudgeKill);
        foreach (var name in new[] { "pkill", "killall", "skill", "slay", "renice", "disown", "bg", "fg", "suspend", "screen", "tmux", "byobu", "nohup-wait" })
        {
            yield return (name, invocation => invocation.Report(Verdict.ControlsProcesses("controls other processes")));
        }

        yield return ("killall5", invocation => invocation.Report(Verdict.Destroys("kills every process")));
        foreach (var name in new[] { "shutdown", "reboot", "halt", "poweroff", "init", "telinit", "kexec" })
        {
            yield return (name, invocation => invocation.Report(Verdict.TakesOver("shuts down, reboots or changes the run level of the machine")));
        }

        yield return ("systemctl", JudgeSystemctl);
        yield return ("loginctl", JudgeSystemctl);
        yield return ("service", invocation => invocation.Report(invocation.Arguments.Skip(1).Any(field => field.Text is "--status-all" or "status")
            ? Verdict.ReadsOnly("only shows services")
            : Verdict.ControlsProcesses("starts, stops or reloads a service")));
        foreach (var name in new[] { "at", "batch", "crontab", "systemd-run", "launchctl", "anacron" })
        {
            yield return (name, invocation => invocation.Report(Verdict.TakesOver("schedules commands to run later, outside this task")));
        }

        yield return ("atq", invocation => invocation.Report(Verdict.ReadsOnly("only lists scheduled jobs")));
        yield return ("atrm", invocation => invocation.Report(Verdict.ControlsProcesses("removes scheduled jobs")));
        foreach (var name in new[] { "ps", "top", "htop", "btop", "pstree", "lsof", "netstat", "ss", "fuser", "journalctl", "dmesg", "last", "lastlog", "iotop", "vmstat", "iostat" })
        {
            yield return (name, invocation => invocation.Report(Verdict.ReadsOutside("inspects other processes or the system, whose details may hold secrets")));
        }

        foreach (var name in new[] { "docker", "podman", "nerdctl", "ctr", "crictl", "docker-compose" })
        {
            yield return (name, JudgeContainer);
        }
    }

    /// <summary><c>kill</c>: the first dash argument is the signal; process -1 is every process, 1 is init.</summary>
    private static void JudgeKill(Invocation invocation)
    {
        var arguments = invocation.Arguments;
        if (arguments.Skip(1).Any(field => field.Text is "-l" or "-L" or "--list" or "--table"))
        {
            invocation.Report(Verdict.ReadsOnly("only lists signals"));
            return;
        }

        var index = 1;
        if (index < arguments.Count && arguments[index].Text is "-s" or "-n")
        {
            index += 2;
        }
        else if (index < arguments.Count && arguments[index].Text.StartsWith('-') && arguments[index].Text != "--")
        {
            index++;
        }

        if (index < arguments.Count && arguments[index].Text == "--")
        {
            index++;
        }

        var targets = arguments.Skip(index).Select(field => field.Text).ToList();
        if (targets.Any(target => target is "-1" or "1"))
        {
            invocation.Report(Verdict.Destroys(targets.Contains("-1") ? "kills every process it can reach" : "kills init"));
        }
        else if (targets.Any(target => target.Any(Sentinel.IsSentinel)))
        {
            invocation.Report(Verdict.Uncertain("sends a signal to processes an expansion decides"));
        }

        invocation.Report(Verdict.ControlsProcesses("sends a signal to processes"));
    }

    private static void JudgeSystemctl(Invocation invocation)
    {
        var verb = invocation.Arguments.Skip(1).FirstOrDefault(field => !field.Text.StartsWith('-'))?.Text;
        if (verb is not null && (PowerVerbs.Contains(verb) || verb.StartsWith("terminate-", StringComparison.Ordinal) || verb.StartsWith("kill-", StringComparison.Ordinal)))
        {
            invocation.Report(Verdict.TakesOver("powers off, reboots or changes the state of the machine or its sessions"));
            return;
        }

        invocation.Report(verb is null || ServiceReadVerbs.Contains(verb) || verb.StartsWith("list-", StringComparison.Ordinal)
            ? Verdict.ReadsOnly("only shows services")
            : Verdict.ControlsProcesses($"changes services ({verb})"));
    }

    /// <summary>
    /// Access to a container engine is as good as root; the flags that give the container the host itself
    /// (privileged mode, host namespaces, mounts of paths outside the workspace) are blocked.
    /// </summary>
    private static void JudgeContainer(Invocation invocation)
    {
        var arguments = invocation.Arguments;
        var verb = arguments.Skip(1).FirstOrDefault(field => !field.Text.StartsWith('-'))?.Text ?? "";
        for (var index = 1; index < arguments.Count; index++)
        {
            var text = arguments[index].Text;
            if (text is "--privileged" || text.StartsWith("--cap-add", StringComparison.Ordinal) || text.StartsWith("--device", StringComparison.Ordinal)
                || text is "--pid=host" or "--ipc=host" or "--uts=host" or "--userns=host" or "--cgroupns=host"
                || (text is "--pid" or "--ipc" or "--uts" or "--userns" && index + 1 < arguments.Count && arguments[index + 1].Text == "host")
                || (text.StartsWith("--security-opt", StringComparison.Ordinal) && (text.Contains("unconfined") || (index + 1 < arguments.Count && arguments[index + 1].Text.Contains("unconfined")))))
            {
                invocation.Report(Verdict.TakesOver($"gives a container power over the host ({text})"));
            }

            if (text is "-v" or "--volume" or "--mount" && index + 1 < arguments.Count)
            {
                JudgeMount(invocation, arguments[index + 1]);
            }
            else if (text.StartsWith("--volume=", StringComparison.Ordinal) || text.StartsWith("--mount=", StringComparison.Ordinal))
            {
                JudgeMount(invocation, arguments[index] with { Text = text[(text.IndexOf('=') + 1)..] });
            }
        }

        invocation.Report(verb is "ps" or "images" or "version" or "info" or "inspect" or "logs" or "stats" or "top" or "history" or "port" or "diff" or "ls"
            ? Verdict.ReadsOutside("inspects containers")
            : Verdict.RunsCode($"runs or changes containers ({verb})"));
    }

    private static void JudgeMount(Invocation invocation, Field specification)
    {
        var text = specification.Text;
        var source = text.Contains("source=", StringComparison.Ordinal) || text.Contains("src=", StringComparison.Ordinal)
            ? text.Split(',').Select(part => part.Split('=', 2)).FirstOrDefault(pair => pair.Length == 2 && pair[0] is "source" or "src")?[1]
            : text.Split(':')[0];
        if (string.IsNullOrEmpty(source) || !(source.StartsWith('/') || source.StartsWith('.') || source[0] == Sentinel.Home || source[0] == Sentinel.Unknown))
        {
            return;
        }

        foreach (var path in invocation.Resolve(specification with { Text = source }))
        {
            if (path.Scope != PathScope.Workspace)
            {
                invocation.Report(Verdict.TakesOver($"mounts a host path outside the workspace into a container ({path.Display})"));
            }
        }
    }
}
