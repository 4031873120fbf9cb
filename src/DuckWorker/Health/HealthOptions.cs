namespace DuckWorker.Health;

/// <summary>The <c>Health</c> section: where the readiness endpoint listens.</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>The port of <c>GET /health/ready</c> and <c>/health/live</c> on all interfaces; 0 turns the endpoint off.</summary>
    public int Port { get; set; } = 8080;
}
