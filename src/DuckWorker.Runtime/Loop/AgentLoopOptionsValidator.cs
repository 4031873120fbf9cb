using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Loop;

// Written by hand: the [OptionsValidator] generator drops the ErrorMessage of [Range], and every error must name its key.
internal sealed class AgentLoopOptionsValidator : IValidateOptions<AgentLoopOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentLoopOptions options)
    {
        var errors = new List<string>();
        if (options.MaxToolIterations is < 1 or > 32)
        {
            errors.Add($"Worker:MaxToolIterations must be between 1 and 32; it is {options.MaxToolIterations}.");
        }

        if (options.MaxActionsPerDirective is < 1 or > 64)
        {
            errors.Add($"Worker:MaxActionsPerDirective must be between 1 and 64; it is {options.MaxActionsPerDirective}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
