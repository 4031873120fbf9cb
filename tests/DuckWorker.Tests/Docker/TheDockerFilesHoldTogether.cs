using System.Diagnostics;

namespace DuckWorker.Tests.Docker;

/// <summary>
/// No Docker engine runs here, so the image is not built; what can be checked without one is: the compose
/// file parses (Debian's docker-compose does that offline) and wires the health checks, and the Dockerfile
/// builds in stages and runs as a user of its own.
/// </summary>
public sealed class TheDockerFilesHoldTogether
{
    private static string Repository([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Join(Path.GetDirectoryName(here), "..", "..", ".."));

    private static string Compose => Path.Join(Repository(), "docker", "compose.yaml");

    [Fact]
    public async Task TheComposeFileParsesAndTheWorkerWaitsForHealthyServices()
    {
        var docker = new[] { "/usr/bin/docker-compose", "/usr/local/bin/docker-compose" }.FirstOrDefault(File.Exists);
        if (docker is null)
        {
            Assert.Skip("docker-compose is not installed (.ci/run installs Debian's); the compose file was not parsed.");
        }

        using var config = Process.Start(new ProcessStartInfo(docker, ["-f", Compose, "config"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await config.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = await config.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await config.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.True(config.ExitCode == 0, errors);
        var worker = output[output.IndexOf("  worker:", StringComparison.Ordinal)..];
        Assert.Contains("condition: service_healthy", worker, StringComparison.Ordinal);
        Assert.Contains("condition: service_completed_successfully", worker, StringComparison.Ordinal);
        Assert.Contains("--health", worker, StringComparison.Ordinal);
        Assert.Contains("DUCK_Storage__Provider: mongo", worker, StringComparison.Ordinal);
        foreach (var service in new[] { "rabbitmq:", "mongo:", "ollama:", "ollama-pull:", "worker:" })
        {
            Assert.Contains("  " + service, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheImageIsBuiltInStagesAndRunsAsItsOwnUserWithAHealthCheck()
    {
        var dockerfile = File.ReadAllLines(Path.Join(Repository(), "docker", "Dockerfile"));

        Assert.Equal(2, dockerfile.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
        Assert.Contains("USER duck", dockerfile);
        Assert.Contains(dockerfile, l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal) && l.Contains("--health", StringComparison.Ordinal));
        Assert.Contains(dockerfile, l => l.Contains("dotnet publish src/DuckWorker.Cli/DuckWorker.Cli.csproj", StringComparison.Ordinal));
    }

    [Fact]
    public void TheImageRefusesToRunShellCommandsOutsideBubblewrap()
    {
        var dockerfile = File.ReadAllText(Path.Join(Repository(), "docker", "Dockerfile"));
        var compose = File.ReadAllText(Compose);

        Assert.Contains(" bubblewrap ", dockerfile, StringComparison.Ordinal);
        Assert.Contains("DUCK_Tools__Sandbox=required", dockerfile, StringComparison.Ordinal);
        Assert.Contains("seccomp=unconfined", compose, StringComparison.Ordinal);
        Assert.Contains("systempaths=unconfined", compose, StringComparison.Ordinal);
    }
}
