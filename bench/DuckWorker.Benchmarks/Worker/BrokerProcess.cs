using System.Diagnostics;
using System.Globalization;

namespace DuckWorker.Benchmarks.Worker;

/// <summary>
/// The RabbitMQ node's operating-system process, so that the broker's processor time can be set beside the
/// worker's: found by <c>--broker-pid</c>, else by the pid file that <c>.ci/start-rabbitmq</c> writes.
/// </summary>
internal sealed class BrokerProcess(Process? process, string note)
{
    /// <summary>Why the broker's time is not measured, when it is not.</summary>
    public string Note { get; } = note;

    public bool Found => process is not null;

    public static BrokerProcess Find(string[] args)
    {
        var pidFile = Path.Join(Environment.GetEnvironmentVariable("DUCK_RABBITMQ_HOME") ?? "/tmp/duck-rabbitmq", "pid");
        var given = WorkerBenchmark.Option(args, "--broker-pid") ?? (File.Exists(pidFile) ? File.ReadAllText(pidFile).Trim() : null);
        if (!int.TryParse(given, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
        {
            return new BrokerProcess(null, $"no --broker-pid and no pid file at {pidFile}");
        }

        try
        {
            return new BrokerProcess(Process.GetProcessById(pid), $"pid {pid}");
        }
        catch (ArgumentException)
        {
            return new BrokerProcess(null, $"no process {pid} (from {(given == WorkerBenchmark.Option(args, "--broker-pid") ? "--broker-pid" : pidFile)})");
        }
    }

    public TimeSpan ProcessorTime
    {
        get
        {
            if (process is null)
            {
                return TimeSpan.Zero;
            }

            process.Refresh();
            return process.TotalProcessorTime;
        }
    }
}
