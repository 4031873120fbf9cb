using System.Diagnostics;
using System.Globalization;
using System.Text;
using DuckWorker.Testing.Soak;

namespace DuckWorker.Benchmarks.Soak;

/// <summary>
/// The long form of the kill-anywhere soak (issue 13): 300 jobs, a worker SIGKILLed every 1–4 s until
/// every job has its outcome, the broker restarted midway. Prints the counts and writes
/// <c>bench/results/soak.json</c> and <c>soak.md</c>; exits 1 when a promise broke.
/// Usage: <c>dotnet run -c Release --project bench/DuckWorker.Benchmarks -- soak [--broker amqp://…]
/// [--restart '&lt;command&gt;'] [--seed N] [--jobs N]</c>. The broker and its restart command default to
/// <c>DUCK_TEST_RABBITMQ</c> and <c>DUCK_TEST_RABBITMQ_RESTART</c>, as the tests read them.
/// </summary>
internal static class SoakCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var broker = new Uri(Option(args, "--broker") ?? Environment.GetEnvironmentVariable("DUCK_TEST_RABBITMQ") ?? "amqp://guest:guest@127.0.0.1:5672/");
        var restart = Option(args, "--restart") ?? Environment.GetEnvironmentVariable("DUCK_TEST_RABBITMQ_RESTART");
        var seed = Option(args, "--seed") is { } given ? int.Parse(given, CultureInfo.InvariantCulture) : Random.Shared.Next();
        var options = KillAnywhereSoakOptions.Long(seed);
        if (Option(args, "--jobs") is { } jobs)
        {
            options = options with { Jobs = int.Parse(jobs, CultureInfo.InvariantCulture) };
        }

        var repository = Repository();
        var worker = Path.Join(repository, "src", "DuckWorker", "bin", "Release", "net10.0", "DuckWorker.dll");
        if (!File.Exists(worker))
        {
            Console.Error.WriteLine($"Build the worker first: dotnet build -c Release DuckWorker.sln (looked for {worker}).");
            return 2;
        }

        var report = await KillAnywhereSoak.RunAsync(
            broker,
            string.IsNullOrEmpty(restart) ? null : cancellationToken => RestartAsync(restart, cancellationToken),
            options,
            Console.Out,
            CancellationToken.None,
            worker);
        Console.WriteLine(report);

        var output = Path.Join(repository, "bench", "results");
        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(Path.Join(output, "soak.json"), report.ToJson() + "\n");
        await File.WriteAllTextAsync(Path.Join(output, "soak.md"), Markdown(report, options));
        return report.Problems.Count == 0 ? 0 : 1;
    }

    private static async Task RestartAsync(string command, CancellationToken cancellationToken)
    {
        using var restart = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var errors = restart.StandardError.ReadToEndAsync(cancellationToken);
        await restart.WaitForExitAsync(cancellationToken);
        if (restart.ExitCode != 0)
        {
            throw new InvalidOperationException($"Restarting the broker failed ({restart.ExitCode}): {await errors}");
        }
    }

    private static string Markdown(SoakReport report, KillAnywhereSoakOptions options)
    {
        var text = new StringBuilder();
        text.AppendLine("# Kill-anywhere soak").AppendLine();
        text.AppendLine($"Command: `dotnet build -c Release DuckWorker.sln && dotnet run -c Release --project bench/DuckWorker.Benchmarks -- soak --seed {report.Seed}`").AppendLine();
        text.AppendLine($"Run {DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} on {Environment.ProcessorCount} cores, .NET {Environment.Version}: two worker processes on one SQLite file, "
            + $"a kill every {options.KillEvery.Min.TotalSeconds:0.#}–{options.KillEvery.Max.TotalSeconds:0.#} s, Worker:LeaseDuration {options.LeaseDuration.TotalSeconds:0.#} s.").AppendLine();
        text.AppendLine("```");
        text.Append(report);
        text.AppendLine("```");
        return text.ToString();
    }

    private static string? Option(string[] args, string name) =>
        Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;

    private static string Repository()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Join(folder.FullName, "DuckWorker.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Run the soak from the repository (no DuckWorker.sln above it).");
    }
}
