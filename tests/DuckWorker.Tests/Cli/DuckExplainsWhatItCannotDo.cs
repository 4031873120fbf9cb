namespace DuckWorker.Tests.Cli;

public sealed class DuckExplainsWhatItCannotDo
{
    [Fact]
    public async Task AnUnreachableBrokerIsNamedWithHowToStartOne()
    {
        await using var worker = await WorkerHarness.StartAsync();

        var (exit, output, errors) = await Duck.RunAsync(worker, "--broker", "amqp://guest:s3cret@127.0.0.1:1/", "submit", "hello");

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.StartsWith("Cannot reach RabbitMQ at amqp://127.0.0.1:1/ (RabbitMq:Uri, or --broker)", errors, StringComparison.Ordinal);
        Assert.Contains("docker run -d -p 5672:5672 rabbitmq:3.13-management", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableStoreIsNamed()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var settings = new Dictionary<string, string?>(worker.Settings) { ["Sqlite:Path"] = "/proc/duck-cli/duck.db" };

        var (exit, _, errors) = await Duck.RunAsync(settings, "", "tasks", "list");

        Assert.Equal(2, exit);
        Assert.Contains("/proc/duck-cli/duck.db (Sqlite:Path) is unavailable", errors, StringComparison.Ordinal);
        Assert.Contains("Check Storage:Provider", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableOllamaIsNamedWithHowToStartIt()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var settings = new Dictionary<string, string?>(worker.Settings) { ["Ollama:BaseUrl"] = "http://127.0.0.1:1", ["Ollama:MaxRetries"] = "0" };

        var (exit, _, errors) = await Duck.RunAsync(settings, "", "run", "hello", "--job-id-not-an-option");
        var (runExit, _, runErrors) = await Duck.RunAsync(settings, "", "run", "hello");

        Assert.Equal(2, exit);
        Assert.Contains("--job-id-not-an-option", errors, StringComparison.Ordinal);
        Assert.Equal(2, runExit);
        Assert.Contains("Ollama does not answer at http://127.0.0.1:1/ (Ollama:BaseUrl). Start it with: ollama serve", runErrors, StringComparison.Ordinal);
        var task = Assert.Single(await worker.Tasks.ListAsync(null, 10, TestContext.Current.CancellationToken));
        Assert.Equal(DuckWorker.Runtime.Stores.AgentTaskStatus.Failed, task.Status);
    }

    [Theory]
    [InlineData(new[] { "submit" }, "Required argument missing")]
    [InlineData(new[] { "run" }, "Give either a message or --file")]
    [InlineData(new[] { "run", "hi", "--file", "x.jsonl" }, "Give either a message or --file")]
    [InlineData(new[] { "submit", "hi", "--reasoning", "maybe" }, "maybe")]
    [InlineData(new[] { "tasks", "show", "no-such-task" }, "No task has the id (or job id) 'no-such-task'.")]
    [InlineData(new[] { "batch", "/no/such/file.jsonl", "-o", "out.jsonl" }, "The request file '/no/such/file.jsonl' does not exist.")]
    public async Task BadUsageIsExplainedWithExitCodeTwo(string[] args, string expected)
    {
        await using var worker = await WorkerHarness.StartAsync();

        var (exit, _, errors) = await Duck.RunAsync(worker, args);

        Assert.Equal(2, exit);
        Assert.Contains(expected, errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidConfigurationIsNamedByItsKey()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var settings = new Dictionary<string, string?>(worker.Settings) { ["Worker:MaxToolIterations"] = "0" };

        var (exit, _, errors) = await Duck.RunAsync(settings, "", "tasks", "list");

        Assert.Equal(78, exit);
        Assert.Contains("Invalid configuration: Worker:MaxToolIterations must be between 1 and 32", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryWrongKeyIsOneLineAndExitCode78()
    {
        await using var worker = await WorkerHarness.StartAsync();
        var settings = new Dictionary<string, string?>(worker.Settings) { ["Storage:Provider"] = "postgres", ["Worker:Concurrency"] = "-1", ["Ollama:BaseUrl"] = "localhost:11434" };

        var (exit, _, errors) = await Duck.RunAsync(settings, "", "tasks", "list");
        var (typeExit, _, typeErrors) = await Duck.RunAsync(new Dictionary<string, string?>(worker.Settings) { ["Worker:Concurrency"] = "many" }, "", "tasks", "list");
        var (uriExit, _, uriErrors) = await Duck.RunAsync(worker, "--broker", "localhost:5672", "submit", "hello");

        Assert.Equal(78, exit);
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        foreach (var key in new[] { "Storage:Provider", "Worker:Concurrency", "Ollama:BaseUrl" })
        {
            Assert.Single(lines, line => line.StartsWith($"Invalid configuration: {key} must be", StringComparison.Ordinal));
        }

        Assert.Equal(78, typeExit);
        Assert.Equal("Invalid configuration: Worker:Concurrency must be a whole number; it is 'many'.", typeErrors.Trim());
        Assert.Equal(78, uriExit);
        Assert.Contains("RabbitMq:Uri (or --broker) must be an amqp:// address", uriErrors, StringComparison.Ordinal);
    }
}
