using Microsoft.Extensions.Options;

namespace DuckWorker.Health;

internal sealed class HealthOptionsValidator : IValidateOptions<HealthOptions>
{
    public ValidateOptionsResult Validate(string? name, HealthOptions options) =>
        options.Port is < 0 or > 65535
            ? ValidateOptionsResult.Fail($"Health:Port must be between 0 (off) and 65535; it is {options.Port}.")
            : ValidateOptionsResult.Success;
}
