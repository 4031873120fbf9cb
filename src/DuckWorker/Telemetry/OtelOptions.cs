namespace DuckWorker.Telemetry;

/// <summary>The <c>Otel</c> section: where traces and metrics go. Without an endpoint nothing is exported.</summary>
public sealed class OtelOptions
{
    public const string Section = "Otel";

    /// <summary>An OTLP endpoint (gRPC, e.g. <c>http://localhost:4317</c>); empty turns export off.</summary>
    public Uri? Endpoint { get; set; }

    public string ServiceName { get; set; } = "duckworker";
}
