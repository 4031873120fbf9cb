using Microsoft.Extensions.Options;

namespace DuckWorker.Embeddings;

internal sealed class EmbedderOptionsValidator : IValidateOptions<EmbedderOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbedderOptions options) =>
        EmbedderOptions.Allowed.Contains(options.Embedder, StringComparer.OrdinalIgnoreCase)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Memory:Embedder must be one of {string.Join(", ", EmbedderOptions.Allowed)}; it is '{options.Embedder}'.");
}
