using System.CommandLine;
using System.Runtime.InteropServices;
using DuckWorker.Cli.Commands;
using DuckWorker.Cli.WebConsole;
using DuckWorker.Hosting;
using DuckWorker.Runtime.Stores;
using DuckWorker.Storage;

namespace DuckWorker.Cli;

/// <summary>
/// The <c>duck</c> command tree. Exit codes: 0 success, 1 a task failed, 2 a usage or connection error, 78 an
/// invalid setting, 130 interrupted (Ctrl+C or SIGTERM).
/// </summary>
internal static class DuckCommandLine
{
    /// <param name="cancellationToken">Stops the command as Ctrl+C does (exit code 130).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, TextReader input, IReadOnlyDictionary<string, string?>? settings = null, CancellationToken cancellationToken = default)
    {
        var broker = new Option<string?>("--broker") { Description = "The RabbitMQ broker, an amqp:// address (default: RabbitMq:Uri of the configuration).", Recursive = true };
        CliContext Configure(ParseResult parse)
        {
            var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
            if (parse.GetValue(broker) is { } uri)
            {
                all["RabbitMq:Uri"] = uri;
            }

            return new CliContext(output, errors, input, all);
        }

        var root = new RootCommand($"duck: submit jobs to DuckWorker, answer its approval requests, read its tasks and memories, or run offline.\n{DataFolder.Rule}")
        {
            broker,
        };
        root.Subcommands.Add(SubmitCommand.Create(Configure));
        root.Subcommands.Add(BatchCommand.Create(Configure));
        root.Subcommands.Add(ApprovalsCommand.Create(Configure));
        foreach (var decision in DecisionCommands.Create(Configure))
        {
            root.Subcommands.Add(decision);
        }

        root.Subcommands.Add(TasksCommand.Create(Configure));
        root.Subcommands.Add(RulesCommand.Create(Configure));
        root.Subcommands.Add(DeadCommand.Create(Configure));
        root.Subcommands.Add(MemoriesCommand.Create(Configure));
        root.Subcommands.Add(RunCommand.Create(Configure));
        root.Subcommands.Add(PolicyCommand.Create(output));
        root.Subcommands.Add(ConsoleCommand.Create(Configure));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await errors.WriteLineAsync(error.Message);
            }

            await errors.WriteLineAsync("Try 'duck --help'.");
            return ExitCodes.UsageOrConnection;
        }

        // Ctrl+C and SIGTERM stop every command the same way: its token is cancelled, it ends, and duck exits 130
        // without a word, like any interrupted command line tool.
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void Interrupt(PosixSignalContext signal)
        {
            signal.Cancel = true;
            interrupted.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = errors, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, interrupted.Token);
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }
        catch (CliException ex)
        {
            await errors.WriteLineAsync(ex.Message);
            return ex.ExitCode;
        }
        catch (Exception ex) when (ConfigurationErrors.Of(ex) is { Count: > 0 } invalid)
        {
            foreach (var error in invalid)
            {
                await errors.WriteLineAsync($"Invalid configuration: {error}");
            }

            return ExitCodes.Configuration;
        }
        catch (StoreUnavailableException ex)
        {
            await errors.WriteLineAsync($"{ex.Message}\nCheck Storage:Provider and its settings (Sqlite:Path, or Mongo:ConnectionString with a running MongoDB).");
            return ExitCodes.UsageOrConnection;
        }
    }
}
