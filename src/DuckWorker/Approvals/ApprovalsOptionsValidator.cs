using Microsoft.Extensions.Options;

namespace DuckWorker.Approvals;

internal sealed class ApprovalsOptionsValidator : IValidateOptions<ApprovalsOptions>
{
    public ValidateOptionsResult Validate(string? name, ApprovalsOptions options) =>
        options.Timeout is { } timeout && timeout < TimeSpan.FromSeconds(1)
            ? ValidateOptionsResult.Fail($"Approvals:Timeout must be at least 00:00:01, or unset for no timeout; it is {timeout}.")
            : ValidateOptionsResult.Success;
}
