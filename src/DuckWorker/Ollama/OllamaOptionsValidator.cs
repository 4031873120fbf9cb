using DuckWorker.Runtime.Models;
using Microsoft.Extensions.Options;

namespace DuckWorker.Ollama;

/// <summary>Every model role needs a model; <c>think</c> takes only the values Ollama understands.</summary>
internal sealed class OllamaOptionsValidator : IValidateOptions<OllamaOptions>
{
    private static readonly string[] ThinkValues = ["true", "false", "low", "medium", "high"];

    public ValidateOptionsResult Validate(string? name, OllamaOptions options)
    {
        var errors = new List<string>();
        if (options.BaseUrl is not { IsAbsoluteUri: true } url || url.Scheme is not ("http" or "https"))
        {
            errors.Add("Ollama:BaseUrl must be an absolute http:// or https:// address, e.g. http://localhost:11434.");
        }

        foreach (var role in ModelRoles.All)
        {
            if (!options.Roles.TryGetValue(role, out var settings) || string.IsNullOrWhiteSpace(settings.Model))
            {
                errors.Add($"Ollama:Roles:{role}:Model is required: the Ollama model the {role} role uses.");
                continue;
            }

            if (settings.Think is { } think && !ThinkValues.Contains(think, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"Ollama:Roles:{role}:Think must be one of {string.Join(", ", ThinkValues)}; it is '{think}'.");
            }

            if (settings.NumCtx is <= 0)
            {
                errors.Add($"Ollama:Roles:{role}:NumCtx must be positive.");
            }
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            errors.Add("Ollama:MaxRetries must be between 0 and 10.");
        }

        if (options.RetryDelay <= TimeSpan.Zero)
        {
            errors.Add("Ollama:RetryDelay must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
