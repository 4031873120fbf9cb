using DuckWorker.RabbitMq.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace DuckWorker.RabbitMq;

/// <summary>
/// The worker's one connection to the broker. It is opened on first use and, while no broker answers, asked
/// for again with growing delays, logging each failure; once open, the client recovers it by itself (with its
/// channels and consumers) after a broker restart.
/// </summary>
public sealed class RabbitMqConnection(IOptions<RabbitMqOptions> options, ILogger<RabbitMqConnection> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private IConnection? connection;

    /// <summary>True while a connection is open (not while it is lost and recovering).</summary>
    public bool IsConnected => connection?.IsOpen == true;

    public async Task<IConnection> GetAsync(CancellationToken cancellationToken)
    {
        if (connection is not null)
        {
            return connection;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            return connection ??= await ConnectAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.CloseAsync();
            connection.Dispose();
        }

        gate.Dispose();
    }

    private async Task<IConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var factory = new ConnectionFactory
        {
            Uri = settings.Uri!,
            ClientProvidedName = $"duckworker@{Environment.MachineName}",
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(2),
        };
        var delay = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            try
            {
                var opened = await factory.CreateConnectionAsync(cancellationToken);
                opened.ConnectionShutdownAsync += (_, reason) =>
                {
                    // The worker closing its own connection at shutdown is not an outage to recover from.
                    if (reason.Initiator == ShutdownInitiator.Application)
                    {
                        logger.BrokerConnectionClosed();
                    }
                    else
                    {
                        logger.BrokerConnectionLost(reason.ReplyText);
                    }

                    return Task.CompletedTask;
                };
                opened.RecoverySucceededAsync += (_, _) =>
                {
                    logger.BrokerConnectionRecovered();
                    return Task.CompletedTask;
                };
                logger.BrokerConnected(settings.SafeUri);
                return opened;
            }
            catch (Exception ex) when (ex is RabbitMQ.Client.Exceptions.BrokerUnreachableException or IOException or System.Net.Sockets.SocketException)
            {
                logger.BrokerUnreachable(settings.SafeUri, ex.InnerException?.Message ?? ex.Message, delay);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxReconnectDelay.Ticks));
            }
        }
    }
}
