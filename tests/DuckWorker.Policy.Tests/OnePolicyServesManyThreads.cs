using DuckWorker.Policy;

namespace DuckWorker.Policy.Tests;

public sealed class OnePolicyServesManyThreads
{
    [Fact]
    public async Task ConcurrentEvaluationsGiveTheSameAnswersAsSequentialOnes()
    {
        var policy = new CommandPolicy();
        var commands = CommandCorpus.Cases.Select(@case => CommandCorpus.ToCommandLine(@case.Command)).ToList();
        var sequential = commands.Select(command => policy.Evaluate(command, CommandCorpus.Workspace)).ToList();

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(
            () => commands.Select(command => policy.Evaluate(command, CommandCorpus.Workspace)).ToList(),
            TestContext.Current.CancellationToken)));

        Assert.All(concurrent, results => Assert.Equal(sequential, results));
    }
}
