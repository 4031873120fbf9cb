using DuckWorker.RabbitMq.Publishing;
using DuckWorker.RabbitMq.Topology;
using DuckWorker.Runtime.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DuckWorker.RabbitMq;

public static class RabbitMqServiceCollectionExtensions
{
    /// <summary>
    /// The broker: connection, topology, publisher with confirms, dead letters and announcements. The event
    /// log registered so far is wrapped so that every appended event is also announced: call this after the
    /// storage adapter.
    /// </summary>
    public static IServiceCollection AddDuckRabbitMq(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<RabbitMqOptions>().BindConfiguration(RabbitMqOptions.Section);
        services.AddSingleton<IValidateOptions<RabbitMqOptions>, RabbitMqOptionsValidator>();
        services.AddSingleton<RabbitMqConnection>();
        services.AddSingleton<RabbitMqTopology>();
        services.AddSingleton<RabbitMqPublisher>();
        services.AddSingleton<DeadLetters>();
        services.AddSingleton<TaskAnnouncer>();
        services.AddSingleton<RefusalAnnouncer>();
        services.AddSingleton<EventAnnouncements>();
        services.AddHostedService(provider => provider.GetRequiredService<EventAnnouncements>());

        // Without a store (an unknown Storage:Provider) there is nothing to wrap; the options validation stops the start.
        if (services.LastOrDefault(d => d.ServiceType == typeof(IEventLog)) is not { } stored)
        {
            return services;
        }

        services.Remove(stored);
        services.AddSingleton<IEventLog>(provider => new AnnouncingEventLog(
            Create(provider, stored),
            provider.GetRequiredService<ITaskStore>(),
            provider.GetRequiredService<RabbitMqConnection>(),
            provider.GetRequiredService<EventAnnouncements>(),
            provider.GetRequiredService<IOptions<RabbitMqOptions>>(),
            provider.GetRequiredService<ILogger<AnnouncingEventLog>>()));
        return services;
    }

    private static IEventLog Create(IServiceProvider provider, ServiceDescriptor descriptor) => (IEventLog)(
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(provider)
        ?? ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!));
}
