using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tools;

// Written by hand: the [OptionsValidator] generator drops the ErrorMessage of [Range], and every error must name its key.
internal sealed class ToolsOptionsValidator : IValidateOptions<ToolsOptions>
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

        // The file tools.
        if (options.SearchTimeout < TimeSpan.FromSeconds(1) || options.SearchTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"Tools:SearchTimeout must be between 00:00:01 and 00:10:00; it is {options.SearchTimeout}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
