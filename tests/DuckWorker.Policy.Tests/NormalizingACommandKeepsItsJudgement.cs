using CsCheck;
using DuckWorker.Policy;
using DuckWorker.Policy.Syntax;

namespace DuckWorker.Policy.Tests;

public sealed class NormalizingACommandKeepsItsJudgement
{
    private static readonly CommandPolicy Policy = new();

    private static readonly Gen<string> Commands = Gen.OneOf(
        CommandGenerators.WellFormed,
        CommandGenerators.QuotedCommand,
        Gen.Select(CommandGenerators.ReadOnly, CommandGenerators.Blocked, CommandGenerators.Composition, (reader, blocked, compose) => compose(reader, blocked)),
        Gen.Select(CommandGenerators.WellFormed, CommandGenerators.QuotedCommand, Gen.OneOf("; ", " && ", " | ", "\n", " || "), (left, right, separator) => left + separator + right),
        Gen.Char["abc $'\"\\*?{}[],~=;|&<>()\n#"].Array[0, 30].Select(chars => new string(chars)));

    [Fact]
    public void TheNormalizedCommandIsJudgedTheSameAndNormalizesToItself()
    {
        Commands.Sample(
            command =>
            {
                var first = Policy.Evaluate(command, CommandGenerators.Workspace);
                var second = Policy.Evaluate(first.NormalizedCommand, CommandGenerators.Workspace);
                Assert.Equal(first.Decision, second.Decision);
                Assert.Equal(first.NormalizedCommand, second.NormalizedCommand);
            },
            iter: 3000);
    }

    [Fact]
    public void EveryCorpusCommandNormalizesToSomethingThatParsesBackToItself()
    {
        foreach (var (_, corpusCommand) in CommandCorpus.Cases)
        {
            var command = CommandCorpus.ToCommandLine(corpusCommand);
            var parsed = ShellParser.Parse(command);
            var normalized = Policy.Evaluate(command, CommandCorpus.Workspace).NormalizedCommand;
            if (parsed.Problems.Count > 0)
            {
                Assert.Equal(command, normalized);
                continue;
            }

            var reparsed = ShellParser.Parse(normalized);
            Assert.True(reparsed.Problems.Count == 0, $"{normalized}: {string.Join("; ", reparsed.Problems)}");
            Assert.Equal(normalized, CommandRenderer.Render(reparsed.Script));
        }
    }
}
