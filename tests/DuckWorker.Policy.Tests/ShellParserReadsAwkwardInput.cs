using DuckWorker.Policy;
using DuckWorker.Policy.Syntax;

namespace DuckWorker.Policy.Tests;

public sealed class ShellParserReadsAwkwardInput
{
    private static ShellScript ParseClean(string commandLine)
    {
        var parsed = ShellParser.Parse(commandLine);
        Assert.Empty(parsed.Problems);
        return parsed.Script;
    }

    private static SimpleCommand OnlySimpleCommand(string commandLine)
    {
        var script = ParseClean(commandLine);
        var item = Assert.Single(script.Items);
        var pipeline = Assert.Single(item.Chain.Pipelines);
        return Assert.IsType<SimpleCommand>(Assert.Single(pipeline.Commands));
    }

    [Fact]
    public void QuotesAndEscapesKeepTheirQuoting()
    {
        var command = OnlySimpleCommand("echo 'a b' \"c $d\" e\\ f");

        Assert.Equal(4, command.Words.Count);
        Assert.Equal([new LiteralPart("a b", Quoted: true)], command.Words[1].Parts);
        Assert.Equal(new LiteralPart("c ", Quoted: true), command.Words[2].Parts[0]);
        Assert.Equal("d", Assert.IsType<ParameterPart>(command.Words[2].Parts[1]).Name);
        Assert.True(((ParameterPart)command.Words[2].Parts[1]).Quoted);
        Assert.Equal([new LiteralPart("e", false), new LiteralPart(" ", true), new LiteralPart("f", false)], command.Words[3].Parts);
    }

    [Fact]
    public void AnEmptyQuoteMakesAKeywordAnOrdinaryWord()
    {
        var command = OnlySimpleCommand("if'' true");

        Assert.Equal("if", command.Words[0].LiteralValue);
        Assert.True(command.Words[0].HasQuoting);
    }

    [Fact]
    public void AnsiCQuotesAreDecoded()
    {
        var command = OnlySimpleCommand("echo $'\\x72\\x6d\\n\\u00e9\\101\\'\\t'");

        Assert.Equal("rm\n\u00e9A'\t", command.Words[1].LiteralValue);
    }

    [Fact]
    public void DoubleQuotedDollarQuotesAreNotAnsiC()
    {
        var command = OnlySimpleCommand("echo \"$'x'\"");

        Assert.Equal("$'x'", command.Words[1].LiteralValue);
    }

    [Fact]
    public void NestedSubstitutionsInsideQuotesAreParsed()
    {
        var command = OnlySimpleCommand("echo \"$(echo \"$(rm -rf /)\")\"");

        var outer = Assert.IsType<CommandSubstitutionPart>(Assert.Single(command.Words[1].Parts));
        var echo = (SimpleCommand)outer.Body.Items[0].Chain.Pipelines[0].Commands[0];
        var inner = Assert.IsType<CommandSubstitutionPart>(Assert.Single(echo.Words[1].Parts));
        var remove = (SimpleCommand)inner.Body.Items[0].Chain.Pipelines[0].Commands[0];
        Assert.Equal(["rm", "-rf", "/"], remove.Words.Select(word => word.LiteralValue));
    }

    [Fact]
    public void NestedBackquotesAreUnescapedLevelByLevel()
    {
        var command = OnlySimpleCommand("echo `echo \\`sudo id\\``");

        var outer = Assert.IsType<CommandSubstitutionPart>(Assert.Single(command.Words[1].Parts));
        var echo = (SimpleCommand)outer.Body.Items[0].Chain.Pipelines[0].Commands[0];
        var inner = Assert.IsType<CommandSubstitutionPart>(Assert.Single(echo.Words[1].Parts));
        Assert.Equal("sudo", ((SimpleCommand)inner.Body.Items[0].Chain.Pipelines[0].Commands[0]).Words[0].LiteralValue);
    }

    [Fact]
    public void ArithmeticIsToldApartFromASubshellInASubstitution()
    {
        var arithmetic = OnlySimpleCommand("echo $((1 + (2 * 3)))");
        var subshell = OnlySimpleCommand("echo $( (ls) )");

        Assert.Equal("1 + (2 * 3)", Assert.IsType<ArithmeticPart>(Assert.Single(arithmetic.Words[1].Parts)).Text);
        var substitution = Assert.IsType<CommandSubstitutionPart>(Assert.Single(subshell.Words[1].Parts));
        Assert.IsType<SubshellCommand>(substitution.Body.Items[0].Chain.Pipelines[0].Commands[0]);
    }

    [Fact]
    public void ParameterOperandsAreParsedForSubstitutions()
    {
        var command = OnlySimpleCommand("echo ${X:-$(sudo id)} ${#Y} ${!Z} ${W/a/b}");

        var withDefault = Assert.IsType<ParameterPart>(command.Words[1].Parts[0]);
        Assert.Equal(("X", ":-"), (withDefault.Name, withDefault.Operator));
        Assert.IsType<CommandSubstitutionPart>(Assert.Single(withDefault.Operand!.Parts));
        Assert.True(Assert.IsType<ParameterPart>(command.Words[2].Parts[0]).Length);
        Assert.True(Assert.IsType<ParameterPart>(command.Words[3].Parts[0]).Indirect);
        Assert.Equal("/", Assert.IsType<ParameterPart>(command.Words[4].Parts[0]).Operator);
    }

    [Fact]
    public void HereDocumentBodiesFollowTheLineAndExpandUnlessQuoted()
    {
        var script = ParseClean("cat <<EOF | sh\nhello $USER\n$(id)\nEOF\necho after");

        Assert.Equal(2, script.Items.Count);
        var cat = (SimpleCommand)script.Items[0].Chain.Pipelines[0].Commands[0];
        var document = cat.Redirections[0].HereDocument!;
        Assert.Equal("hello $USER\n$(id)\n", document.Body);
        Assert.Contains(document.Expansion!.Parts, part => part is ParameterPart { Name: "USER" });
        Assert.Contains(document.Expansion!.Parts, part => part is CommandSubstitutionPart);
        Assert.Equal("echo", ((SimpleCommand)script.Items[1].Chain.Pipelines[0].Commands[0]).Words[0].LiteralValue);
    }

    [Fact]
    public void QuotedDelimitersKeepTheBodyLiteralAndDashStripsTabs()
    {
        var quoted = OnlySimpleCommand("cat <<'EOF'\n$(rm -rf /)\nEOF");
        var stripped = OnlySimpleCommand("cat <<-END\n\t\tindented\n\tEND");

        Assert.Null(quoted.Redirections[0].HereDocument!.Expansion);
        Assert.Equal("$(rm -rf /)\n", quoted.Redirections[0].HereDocument!.Body);
        Assert.Equal("indented\n", stripped.Redirections[0].HereDocument!.Body);
    }

    [Fact]
    public void TwoHereDocumentsOnOneLineTakeTheirBodiesInOrder()
    {
        var command = OnlySimpleCommand("cat <<A <<'B'\none\nA\ntwo\nB");

        Assert.Equal(["one\n", "two\n"], command.Redirections.Select(redirection => redirection.HereDocument!.Body));
    }

    [Fact]
    public void AHereDocumentInsideASubstitutionEndsBeforeTheParenthesis()
    {
        var script = ParseClean("x=$(cat <<EOF\ninner )\nEOF\n)\necho next");

        Assert.Equal(2, script.Items.Count);
        var assignment = Assert.Single(((SimpleCommand)script.Items[0].Chain.Pipelines[0].Commands[0]).Assignments);
        var substitution = Assert.IsType<CommandSubstitutionPart>(Assert.Single(assignment.Value.Parts));
        var cat = (SimpleCommand)substitution.Body.Items[0].Chain.Pipelines[0].Commands[0];
        Assert.Equal("inner )\n", cat.Redirections[0].HereDocument!.Body);
    }

    [Fact]
    public void RedirectionsAreReadWithTheirDescriptors()
    {
        var command = OnlySimpleCommand("ls 2>&1 >out &>all 3<in {fd}>x <<<word >&- 5<>rw");

        Assert.Equal(
            [
                (2, RedirectionOperator.DuplicateOutput),
                (1, RedirectionOperator.Output),
                (1, RedirectionOperator.OutputAndError),
                (3, RedirectionOperator.Input),
                (1, RedirectionOperator.Output),
                (0, RedirectionOperator.HereString),
                (1, RedirectionOperator.DuplicateOutput),
                (5, RedirectionOperator.ReadWrite),
            ],
            command.Redirections.Select(redirection => (redirection.EffectiveFd, redirection.Operator)));
        Assert.Equal("fd", command.Redirections[4].FdVariable);
        Assert.True(command.Redirections[0].IsDescriptorDuplication);
        Assert.True(command.Redirections[6].IsDescriptorDuplication);
    }

    [Fact]
    public void ListsAndPipelinesKeepTheirOperators()
    {
        var script = ParseClean("a | b |& c && d || e; f & g\nh");

        Assert.Equal([ListTerminator.Semicolon, ListTerminator.Background, ListTerminator.Newline, ListTerminator.None], script.Items.Select(item => item.Terminator));
        var first = script.Items[0].Chain;
        Assert.Equal([true, false], first.AndOperators);
        Assert.Equal(3, first.Pipelines[0].Commands.Count);
        Assert.Equal([false, true], first.Pipelines[0].StderrPipes);
    }

    [Fact]
    public void CompoundCommandsNest()
    {
        var script = ParseClean("if a; then b; elif c; then d; else e; fi; while f; do g; done; for x in 1 2; do h; done; case $y in p|q) i;; *) j;; esac; { k; }; (l)");

        Assert.Equal(
            [typeof(IfCommand), typeof(LoopCommand), typeof(ForCommand), typeof(CaseCommand), typeof(BraceGroupCommand), typeof(SubshellCommand)],
            script.Items.Select(item => item.Chain.Pipelines[0].Commands[0].GetType()));
        var caseCommand = (CaseCommand)script.Items[3].Chain.Pipelines[0].Commands[0];
        Assert.Equal(["p", "q"], caseCommand.Items[0].Patterns.Select(pattern => pattern.LiteralValue));
    }

    [Fact]
    public void AForkBombIsAFunctionDefinitionFollowedByACall()
    {
        var script = ParseClean(":(){ :|:& };:");

        var function = Assert.IsType<FunctionDefinition>(script.Items[0].Chain.Pipelines[0].Commands[0]);
        Assert.Equal(":", function.Name);
        var body = Assert.IsType<BraceGroupCommand>(function.Body);
        Assert.Equal(ListTerminator.Background, Assert.Single(body.Body.Items).Terminator);
        Assert.Equal(":", ((SimpleCommand)script.Items[1].Chain.Pipelines[0].Commands[0]).Words[0].LiteralValue);
    }

    [Fact]
    public void AssignmentsAreToldApartFromWords()
    {
        var command = OnlySimpleCommand("A=1 B=(x y) C+=z a[$i]=v cmd D=2");

        Assert.Equal(["A", "B", "C", "a"], command.Assignments.Select(assignment => assignment.Name));
        Assert.Equal(["x", "y"], command.Assignments[1].Elements!.Select(element => element.LiteralValue));
        Assert.True(command.Assignments[2].Append);
        Assert.Equal(["cmd", "D=2"], command.Words.Select(word => word.LiteralValue));
        Assert.Empty(OnlySimpleCommand("\"X\"=1 cmd").Assignments);
    }

    [Fact]
    public void TildesExpandOnlyWhereBashExpandsThem()
    {
        var command = OnlySimpleCommand("echo ~/x ~root a~b ~\"user\" P=~/a:~/b --opt=~/c");

        Assert.IsType<TildePart>(command.Words[1].Parts[0]);
        Assert.Equal("root", Assert.IsType<TildePart>(command.Words[2].Parts[0]).User);
        Assert.DoesNotContain(command.Words[3].Parts, part => part is TildePart);
        Assert.DoesNotContain(command.Words[4].Parts, part => part is TildePart);
        Assert.Equal(2, command.Words[5].Parts.Count(part => part is TildePart));
        Assert.DoesNotContain(command.Words[6].Parts, part => part is TildePart);
    }

    [Fact]
    public void CommentsAndLineContinuationsAreNotWords()
    {
        var command = OnlySimpleCommand("ls \\\n -la # it's a 'comment");

        Assert.Equal(["ls", "-la"], command.Words.Select(word => word.LiteralValue));
        Assert.Equal("a#b", OnlySimpleCommand("echo a#b").Words[1].LiteralValue);
    }

    [Fact]
    public void KeywordsCountOnlyAtTheStartOfACommand()
    {
        var command = OnlySimpleCommand("echo if then fi { }");

        Assert.Equal(["echo", "if", "then", "fi", "{", "}"], command.Words.Select(word => word.LiteralValue));
    }

    [Fact]
    public void ProcessSubstitutionsAndConditionalsAreRead()
    {
        var diff = OnlySimpleCommand("diff <(ls a) >(cat)");
        var conditional = ParseClean("[[ a < b && ( $x =~ ^(y|z)$ ) ]]").Items[0].Chain.Pipelines[0].Commands[0];

        Assert.False(Assert.IsType<ProcessSubstitutionPart>(diff.Words[1].Parts[0]).Output);
        Assert.True(Assert.IsType<ProcessSubstitutionPart>(diff.Words[2].Parts[0]).Output);
        var tokens = Assert.IsType<ConditionalCommand>(conditional).Tokens;
        Assert.Contains(tokens, token => token.LiteralValue == "<");
        Assert.Contains(tokens, token => token.LiteralValue == "^(y|z)$");
    }

    [Theory]
    [InlineData("echo 'abc")]
    [InlineData("echo \"abc")]
    [InlineData("echo $(ls")]
    [InlineData("echo `ls")]
    [InlineData("echo ${X")]
    [InlineData("echo $'abc")]
    [InlineData("if true; then ls")]
    [InlineData("while true; do ls")]
    [InlineData("case x in")]
    [InlineData("{ ls")]
    [InlineData("( ls")]
    [InlineData("ls )")]
    [InlineData("cat <<EOF")]
    [InlineData("cat <<EOF\nno end")]
    [InlineData("ls |")]
    [InlineData("ls &&")]
    [InlineData(";;")]
    [InlineData("ls >")]
    [InlineData("f() ")]
    [InlineData("echo ${}")]
    public void UnfinishedInputIsReportedAsAProblem(string commandLine)
    {
        Assert.NotEmpty(ShellParser.Parse(commandLine).Problems);
    }

    [Fact]
    public void ParsingCarriesOnAfterAProblem()
    {
        var parsed = ShellParser.Parse("echo ) ; rm -rf /");

        Assert.NotEmpty(parsed.Problems);
        Assert.Contains(SyntaxWalker.SimpleCommands(parsed.Script), command => command.Words.FirstOrDefault()?.LiteralValue == "rm");
    }
}
