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

        if (options.ShutdownTimeout < TimeSpan.Zero || options.ShutdownTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"Worker:ShutdownTimeout must be between 00:00:00 and 01:00:00; it is {options.ShutdownTimeout}.");
        }

        if (options.LeaseDuration < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Worker:LeaseDuration must be at least 00:00:01; it is {options.LeaseDuration}.");
        }

        if (options.SweepInterval < TimeSpan.FromMilliseconds(100))
        {
            errors.Add($"Worker:SweepInterval must be at least 00:00:00.100; it is {options.SweepInterval}.");
        }

        if (options.MaxAttempts is < 1 or > 100)
        {
            errors.Add($"Worker:MaxAttempts must be between 1 and 100; it is {options.MaxAttempts}.");
        }

        if (options.RequeueDelay < TimeSpan.Zero)
        {
            errors.Add($"Worker:RequeueDelay must not be negative; it is {options.RequeueDelay}.");
        }

        // RabbitMQ itself refuses bodies over 128 MiB (max_message_size); below 1 KiB no chat job fits.
        if (options.MaxMessageBytes is < 1024 or > 128 * 1024 * 1024)
        {
            errors.Add($"Worker:MaxMessageBytes must be between 1024 and 134217728; it is {options.MaxMessageBytes}.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
