namespace DuckWorker.Health;

/// <summary>The <c>Health</c> section: where the health and metrics endpoint listens.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>The port of <c>GET /health/ready</c>, <c>/health/live</c> and <c>/metrics</c> on all interfaces; 0 turns them off.</summary>
    public int Port { get; set; } = 8080;
}
