using DuckWorker.Cli;

namespace DuckWorker.Tests.Cli;

/// <summary>Runs <c>duck</c> in this process with the worker's configuration, a given input, and its output captured.</summary>
internal static class Duck
{
    public static async Task<(int Exit, string Output, string Errors)> RunAsync(IReadOnlyDictionary<string, string?> settings, string input, params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        using var reader = new StringReader(input);
        var exit = await DuckCommandLine.RunAsync(args, output, errors, reader, settings);
        return (exit, output.ToString(), errors.ToString());
    }

    public static Task<(int Exit, string Output, string Errors)> RunAsync(WorkerHarness worker, params string[] args) =>
        RunAsync(worker.Settings, "", args);
}
