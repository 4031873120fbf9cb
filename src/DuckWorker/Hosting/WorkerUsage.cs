using System.Reflection;
using DuckWorker.Health;
using DuckWorker.Storage;

namespace DuckWorker.Hosting;

/// <summary>What <c>DuckWorker --help</c> and <c>--version</c> print, without starting a worker.</summary>
public static class WorkerUsage
{
    public const string HelpArgument = "--help";
    public const string VersionArgument = "--version";

    public static string Version =>
        typeof(WorkerUsage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static string Help => $"""
        DuckWorker {Version}: takes chat jobs from RabbitMQ and runs them with Ollama models, tools and approvals.

        Usage: DuckWorker [--Section:Key=value ...]
               DuckWorker {HealthProbe.Argument}     asks the running worker's /health/ready (exit 0 when ready, 1 when not)
               DuckWorker {HelpArgument}|{VersionArgument}

        Settings come from appsettings.json beside the program, --Section:Key=value arguments, and DUCK_Section__Key
        environment variables, which win over both; the main ones:
          Storage:Provider        sqlite (default) or mongo
          Sqlite:Path             the store's file
          Mongo:ConnectionString  mongodb://… with Mongo:Database
          Tools:WorkspaceRoot     the folder every task's workspace lives under
          RabbitMq:Uri            amqp://user:password@host:5672/
          Ollama:BaseUrl          http://localhost:11434, with Ollama:Roles:<thinker|action|critic|memory|embedding>:Model
          Worker:Concurrency      jobs at once (1..64)
          Health:Port             /health/live, /health/ready and /metrics (0 turns them off)
          Otel:Endpoint           an OTLP endpoint for traces and metrics (none: no export)
        Every setting, with its type and default: docs/configuration.md in the repository.

        {DataFolder.Rule}

        Exit codes: 0 stopped normally (SIGTERM, Ctrl+C); 78 a setting is invalid, the health port cannot be
        listened on or MongoDB does not answer at start (one line per problem, naming the key); anything else an
        unexpected failure.

        """;
}
