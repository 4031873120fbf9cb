using System.CommandLine;
using Spectre.Console;

namespace DuckWorker.Cli.WebConsole;

/// <summary><c>duck console [--port 5080] [--bind 127.0.0.1]</c>: serves the web console until Ctrl+C.</summary>
internal static class ConsoleCommand
{
    public static Command Create(Func<ParseResult, CliContext> configure)
    {
        var port = new Option<int>("--port") { Description = "The port to listen on.", DefaultValueFactory = _ => 5080 };
        var bind = new Option<string>("--bind")
        {
            Description = "The address to listen on; anything but loopback requires Console:Token.",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var command = new Command("console", "Serve the web console: the approvals inbox, the tasks, memories and rules, in a browser.") { port, bind };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var cli = configure(parse);
            await using var server = await ConsoleServer.StartAsync(cli, parse.GetValue(bind)!, parse.GetValue(port), cancellationToken);
            cli.Console.WriteLine($"The web console is at {server.Url} (Ctrl+C stops it).");
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return ExitCodes.Success;
        });
        return command;
    }
}
