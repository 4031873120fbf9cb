using DuckWorker.RabbitMq.Publishing;
using Microsoft.Extensions.Options;

namespace DuckWorker.RabbitMq;

/// <summary>Every error names its key.</summary>
internal sealed class RabbitMqOptionsValidator : IValidateOptions<RabbitMqOptions>
{
    public ValidateOptionsResult Validate(string? name, RabbitMqOptions options)
    {
        var errors = new List<string>();
        if (options.Uri is not { IsAbsoluteUri: true } uri || uri.Scheme is not ("amqp" or "amqps"))
        {
            errors.Add("RabbitMq:Uri must be an absolute amqp:// or amqps:// address, e.g. amqp://guest:guest@localhost:5672/.");
        }

        foreach (var (key, value) in new[]
        {
            (nameof(options.JobsQueue), options.JobsQueue),
            (nameof(options.EventsExchange), options.EventsExchange),
            (nameof(options.ApprovalsRequestedQueue), options.ApprovalsRequestedQueue),
            (nameof(options.TasksFinishedQueue), options.TasksFinishedQueue),
            (nameof(options.DecisionsQueue), options.DecisionsQueue),
            (nameof(options.DeadLetterExchange), options.DeadLetterExchange),
            (nameof(options.DeadQueue), options.DeadQueue),
        })
        {
            if (string.IsNullOrWhiteSpace(value) || value.Length > 255)
            {
                errors.Add($"RabbitMq:{key} must be a name of 1 to 255 characters.");
            }
        }

        if (options.DeliveryLimit is < 1 or > 1000)
        {
            errors.Add($"RabbitMq:DeliveryLimit must be between 1 and 1000; it is {options.DeliveryLimit}.");
        }

        foreach (var (key, value) in new[] { (nameof(options.FinishedQueueMaxLength), options.FinishedQueueMaxLength), (nameof(options.DeadQueueMaxLength), options.DeadQueueMaxLength) })
        {
            if (value < 0)
            {
                errors.Add($"RabbitMq:{key} must be 0 (unbounded) or a positive number of messages; it is {value}.");
            }
        }

        if (options.MaxReconnectDelay <= TimeSpan.Zero)
        {
            errors.Add("RabbitMq:MaxReconnectDelay must be positive.");
        }

        if (options.PublishTimeout <= TimeSpan.Zero)
        {
            errors.Add("RabbitMq:PublishTimeout must be positive.");
        }

        if (!Enum.GetNames<AnnouncedEvents>().Contains(options.AnnounceEvents, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"RabbitMq:AnnounceEvents must be 'all' (every task event), 'lifecycle' (only those of approvals and outcomes) or 'none'; it is '{options.AnnounceEvents}'.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
