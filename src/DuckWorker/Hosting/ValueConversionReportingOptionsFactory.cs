using Microsoft.Extensions.Options;

namespace DuckWorker.Hosting;

/// <summary>
/// Creates options as <see cref="OptionsFactory{TOptions}"/> does, but turns a value the binder cannot convert
/// (<c>Worker:Concurrency=two</c>) into a validation failure naming its key. The start-up validation then reports
/// it together with the wrong keys of every other section, instead of stopping at the first exception.
/// </summary>
internal sealed class ValueConversionReportingOptionsFactory<TOptions>(
    IEnumerable<IConfigureOptions<TOptions>> setups,
    IEnumerable<IPostConfigureOptions<TOptions>> postConfigures,
    IEnumerable<IValidateOptions<TOptions>> validations) : IOptionsFactory<TOptions>
    where TOptions : class
{
    private readonly OptionsFactory<TOptions> inner = new(setups, postConfigures, validations);

    public TOptions Create(string name)
    {
        try
        {
            return inner.Create(name);
        }
        catch (InvalidOperationException unconvertible) when (ConfigurationErrors.Of(unconvertible) is { Count: > 0 } errors)
        {
            throw new OptionsValidationException(name, typeof(TOptions), errors);
        }
    }
}
