using DuckWorker.Runtime.Tools.Shell;
using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tools;

// Written by hand: the [OptionsValidator] generator drops the ErrorMessage of [Range], and every error must name its key.
internal sealed class ToolsOptionsValidator(BubblewrapProbe bubblewrap) : IValidateOptions<ToolsOptions>
{
    public ValidateOptionsResult Validate(string? name, ToolsOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.WorkspaceRoot))
        {
            errors.Add("Tools:WorkspaceRoot is required: the folder under which every task's workspace lives.");
        }

        if (options.ShellTimeout < TimeSpan.FromSeconds(1) || options.ShellTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"Tools:ShellTimeout must be between 00:00:01 and 01:00:00; it is {options.ShellTimeout}.");
        }

        if (options.MaxOutputBytes is < 1024 or > 16 * 1024 * 1024)
        {
            errors.Add($"Tools:MaxOutputBytes must be between 1024 and 16777216; it is {options.MaxOutputBytes}.");
        }

        if (options.SearchTimeout < TimeSpan.FromSeconds(1) || options.SearchTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Tools:SearchTimeout must be between 00:00:01 and 00:10:00; it is {options.SearchTimeout}.");
        }

        Limit(errors, "CpuSeconds", options.Limits.CpuSeconds, 1, 24 * 3600);
        Limit(errors, "MemoryMegabytes", options.Limits.MemoryMegabytes, 64, 1024 * 1024);
        Limit(errors, "FileMegabytes", options.Limits.FileMegabytes, 1, 1024 * 1024);
        Limit(errors, "Processes", options.Limits.Processes, 8, 1_000_000);

        if (!Enum.GetNames<SandboxMode>().Contains(options.Sandbox, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"Tools:Sandbox must be 'auto' (bubblewrap where it works, else unconfined), 'required' or 'off'; it is '{options.Sandbox}'.");
        }
        else if (options.SandboxMode == SandboxMode.Required && bubblewrap.Check(options.BubblewrapPath) is { Works: false } probe)
        {
            errors.Add($"Tools:Sandbox is 'required' but bubblewrap cannot run shell commands here: {probe.Reason}. Install it (apt-get install bubblewrap), allow it user namespaces, or set Tools:Sandbox to 'auto' or 'off'.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Limit(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"Tools:Limits:{key} must be between {min} and {max}; it is {value}.");
        }
    }
}
