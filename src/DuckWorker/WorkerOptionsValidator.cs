using Microsoft.Extensions.Options;

namespace DuckWorker;

// Written by hand: the [OptionsValidator] generator drops the ErrorMessage of [Range], and every error must name its key.
internal sealed class WorkerOptionsValidator : IValidateOptions<WorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkerOptions options)
    {
        var errors = new List<string>();
        if (options.Concurrency is < 1 or > 64)
        {
            errors.Add($"Worker:Concurrency must be between 1 and 64; it is {options.Concurrency}.");
        }

        if (options.ModelTimeout < TimeSpan.FromMilliseconds(100) || options.ModelTimeout > TimeSpan.FromHours(2))
        {
            errors.Add($"Worker:ModelTimeout must be between 00:00:00.100 and 02:00:00; it is {options.ModelTimeout}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
