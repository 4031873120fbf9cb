using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Memory;

// Written by hand, like the other validators: every error names its key.
internal sealed class MemoryOptionsValidator : IValidateOptions<MemoryOptions>
{
    public ValidateOptionsResult Validate(string? name, MemoryOptions options)
    {
        var errors = new List<string>();
        if (options.RecallBudget is < 0 or > 100_000)
        {
            errors.Add($"Memory:RecallBudget must be between 0 and 100000 characters; it is {options.RecallBudget}.");
        }

        if (options.RecallTopK is < 0 or > 100)
        {
            errors.Add($"Memory:RecallTopK must be between 0 and 100; it is {options.RecallTopK}.");
        }

        if (options.LessonTopK is < 0 or > 100)
        {
            errors.Add($"Memory:LessonTopK must be between 0 and 100; it is {options.LessonTopK}.");
        }

        if (options.MinScore is < -1 or > 1)
        {
            errors.Add($"Memory:MinScore must be between -1 and 1; it is {options.MinScore}.");
        }

        if (options.DuplicateThreshold is <= 0 or > 1)
        {
            errors.Add($"Memory:DuplicateThreshold must be above 0 and at most 1; it is {options.DuplicateThreshold}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
