using Microsoft.Extensions.Options;

namespace DuckWorker.Telemetry;

internal sealed class OtelOptionsValidator : IValidateOptions<OtelOptions>
{
    public ValidateOptionsResult Validate(string? name, OtelOptions options) =>
        options.Endpoint is null or { IsAbsoluteUri: true, Scheme: "http" or "https" }
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Otel:Endpoint must be an absolute http:// or https:// address, e.g. http://localhost:4317, or empty for no export; it is '{options.Endpoint}'.");
}
