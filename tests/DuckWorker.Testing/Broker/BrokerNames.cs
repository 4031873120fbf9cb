namespace DuckWorker.Testing.Broker;

/// <summary>The queue and exchange names of one test, all starting with the same unique prefix.</summary>
public sealed record BrokerNames(string Prefix)
{
    public string Jobs => $"{Prefix}.jobs";

    public string Events => $"{Prefix}.events";

    public string ApprovalsRequested => $"{Prefix}.approvals.requested";

    public string TasksFinished => $"{Prefix}.tasks.finished";

    public string Decisions => $"{Prefix}.approvals.decisions";

    public string DeadLetterExchange => $"{Prefix}.dlx";

    public string Dead => $"{Prefix}.dead";

    /// <summary>The worker's configuration keys for these names.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings(Uri broker) =>
    [
        new("RabbitMq:Uri", broker.ToString()),
        new("RabbitMq:JobsQueue", Jobs),
        new("RabbitMq:EventsExchange", Events),
        new("RabbitMq:ApprovalsRequestedQueue", ApprovalsRequested),
        new("RabbitMq:TasksFinishedQueue", TasksFinished),
        new("RabbitMq:DecisionsQueue", Decisions),
        new("RabbitMq:DeadLetterExchange", DeadLetterExchange),
        new("RabbitMq:DeadQueue", Dead),
    ];
}
