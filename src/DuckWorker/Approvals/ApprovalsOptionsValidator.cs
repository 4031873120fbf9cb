using DuckWorker.RabbitMq.Consuming;
using Microsoft.Extensions.Options;

namespace DuckWorker.Approvals;

internal sealed class ApprovalsOptionsValidator : IValidateOptions<ApprovalsOptions>
{
    public ValidateOptionsResult Validate(string? name, ApprovalsOptions options)
    {
        var failures = new List<string>();
        if (options.Timeout is { } timeout && timeout < TimeSpan.FromSeconds(1))
        {
            failures.Add($"Approvals:Timeout must be at least 00:00:01, or unset for no timeout; it is {timeout}.");
        }

        // A name no decision can carry would make its approver silently unable to decide.
        for (var i = 0; i < options.AllowedApprovers.Count; i++)
        {
            if (MessageLimits.IdProblem("name", options.AllowedApprovers[i]) is { } problem)
            {
                failures.Add($"Approvals:AllowedApprovers:{i} is not a name a decision can carry: {problem}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
