using System.CommandLine;
using DuckWorker.Cli.Commands;

namespace DuckWorker.Cli;

/// <summary>The <c>duck</c> command tree. Exit codes: 0 success, 1 a task failed, 2 a usage or connection error.</summary>
internal static class DuckCommandLine
{
    public const int UsageError = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var root = new RootCommand("duck: the DuckWorker command line.");
        root.Subcommands.Add(PolicyCommand.Create(output));
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await errors.WriteLineAsync(error.Message);
            }

            await errors.WriteLineAsync("Try 'duck --help'.");
            return UsageError;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });
    }
}
