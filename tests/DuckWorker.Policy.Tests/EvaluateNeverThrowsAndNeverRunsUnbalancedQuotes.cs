using CsCheck;
using DuckWorker.Policy;

namespace DuckWorker.Policy.Tests;

public sealed class EvaluateNeverThrowsAndNeverRunsUnbalancedQuotes
{
    private static readonly CommandPolicy Policy = new();

    private static readonly Gen<string> MetacharacterSoup =
        Gen.Char["$`'\"\\(){}[]|&;<> \n\t#*?~=!ab-/0123456789:{}%^@+,.\u0000\u00e9\u0433"].Array[0, 80].Select(chars => new string(chars));

    /// <summary>
    /// Arguments of <c>echo</c> made of quotes and plain characters only: balanced, the line would run; it must not run
    /// because a quote is left open. Substitutions, comments and here-documents are left out, since they make quoting
    /// depend on context.
    /// </summary>
    private static readonly Gen<string> QuoteSoup =
        Gen.Char["'\"\\ ab/-*."].Array[0, 40].Select(chars => "echo " + new string(chars));

    [Fact]
    public void ArbitraryStringsNeverMakeItThrow()
    {
        Gen.String.Sample(text => Policy.Evaluate(text, CommandGenerators.Workspace) is not null, iter: 2000);
        MetacharacterSoup.Sample(text => Policy.Evaluate(text, CommandGenerators.Workspace) is not null, iter: 3000);
    }

    [Fact]
    public void ArbitraryBytesDecodedAsTextNeverMakeItThrow()
    {
        Gen.Byte.Array[0, 200].Sample(
            bytes => Policy.Evaluate(System.Text.Encoding.UTF8.GetString(bytes), CommandGenerators.Workspace) is not null,
            iter: 2000);
    }

    [Fact]
    public void SoupWithUnbalancedQuotesNeverRuns()
    {
        QuoteSoup.Where(HasUnbalancedQuotes).Sample(
            text => Policy.Evaluate(text, CommandGenerators.Workspace).Decision != CommandDecision.Run,
            iter: 2000);
    }

    [Fact]
    public void AnInnocentCommandWithAStrayQuoteNeverRuns()
    {
        Gen.Select(CommandGenerators.ReadOnly, Gen.OneOf("'", "\"", "$'", "`", "$(", "${"), CommandGenerators.FileName)
            .Sample(
                (reader, opener, tail) => Policy.Evaluate($"{reader} {opener}{tail}", CommandGenerators.Workspace).Decision != CommandDecision.Run,
                iter: 1000);
    }

    [Fact]
    public void TheQuoteCheckerOfThisTestIsRight()
    {
        Assert.True(HasUnbalancedQuotes("echo 'a"));
        Assert.True(HasUnbalancedQuotes("echo \"a\\\""));
        Assert.False(HasUnbalancedQuotes("echo 'a\"' \"b'\" \\' \\\""));
        Assert.False(HasUnbalancedQuotes("echo 'a\\'"));
    }

    /// <summary>An independent, simple reading of bash quoting for text without substitutions, comments or here-documents.</summary>
    private static bool HasUnbalancedQuotes(string text)
    {
        char? open = null;
        for (var index = 0; index < text.Length; index++)
        {
            var character = text[index];
            if (open == '\'')
            {
                open = character == '\'' ? null : open;
            }
            else if (character == '\\')
            {
                index++;
            }
            else if (open == '"')
            {
                open = character == '"' ? null : open;
            }
            else if (character is '\'' or '"')
            {
                open = character;
            }
        }

        return open is not null;
    }
}
