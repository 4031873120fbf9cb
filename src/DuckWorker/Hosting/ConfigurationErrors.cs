using Microsoft.Extensions.Options;

namespace DuckWorker.Hosting;

/// <summary>The messages of invalid options, however the start-up validation threw them (one, or several at once).</summary>
public static class ConfigurationErrors
{
    public static IReadOnlyList<string> Of(Exception error) => error switch
    {
        OptionsValidationException invalid => [.. invalid.Failures],
        AggregateException many when many.InnerExceptions.All(e => e is OptionsValidationException) =>
            [.. many.InnerExceptions.SelectMany(e => ((OptionsValidationException)e).Failures)],
        _ => [],
    };
}
