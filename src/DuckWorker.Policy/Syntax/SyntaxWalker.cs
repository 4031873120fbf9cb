namespace DuckWorker.Policy.Syntax;

/// <summary>Enumerates every simple command in a script, including those inside compound commands and substitutions.</summary>
internal static class SyntaxWalker
{
    public static IEnumerable<SimpleCommand> SimpleCommands(ShellScript script)
    {
        foreach (var command in script.Items.SelectMany(item => item.Chain.Pipelines).SelectMany(pipeline => pipeline.Commands))
        {
            foreach (var simple in SimpleCommands(command))
            {
                yield return simple;
            }
        }
    }

    public static IEnumerable<SimpleCommand> SimpleCommands(ShellCommand command)
    {
        var nested = command switch
        {
            SimpleCommand simple => [],
            SubshellCommand subshell => [subshell.Body],
            BraceGroupCommand group => [group.Body],
            IfCommand conditional => conditional.Branches.SelectMany(branch => new[] { branch.Condition, branch.Body })
                .Concat(conditional.ElseBody is null ? [] : [conditional.ElseBody]),
            LoopCommand loop => [loop.Condition, loop.Body],
            ForCommand loop => [loop.Body],
            ArithmeticForCommand loop => [loop.Body],
            CaseCommand caseCommand => caseCommand.Items.Select(item => item.Body),
            _ => Enumerable.Empty<ShellScript>(),
        };

        if (command is SimpleCommand self)
        {
            yield return self;
        }
        else if (command is FunctionDefinition function)
        {
            foreach (var simple in SimpleCommands(function.Body))
            {
                yield return simple;
            }
        }
        else if (command is CoprocessCommand coprocess)
        {
            foreach (var simple in SimpleCommands(coprocess.Body))
            {
                yield return simple;
            }
        }

        foreach (var script in nested.Concat(Substitutions(command)))
        {
            foreach (var simple in SimpleCommands(script))
            {
                yield return simple;
            }
        }
    }

    /// <summary>The bodies of substitutions written directly in this command's own words and redirections.</summary>
    public static IEnumerable<ShellScript> Substitutions(ShellCommand command)
    {
        var words = command switch
        {
            SimpleCommand simple => simple.Words
                .Concat(simple.Assignments.SelectMany(assignment => new[] { assignment.Target, assignment.Value }.Concat(assignment.Elements ?? []))),
            ForCommand loop => loop.Items ?? [],
            ArithmeticForCommand loop => [loop.Header],
            CaseCommand caseCommand => caseCommand.Items.SelectMany(item => item.Patterns).Prepend(caseCommand.Subject),
            ArithmeticCommand arithmetic => [arithmetic.Expression],
            ConditionalCommand conditional => conditional.Tokens,
            _ => [],
        };

        words = words.Concat(command.Redirections.Select(redirection => redirection.HereDocument?.Expansion ?? redirection.Target));
        return words.SelectMany(Substitutions);
    }

    public static IEnumerable<ShellScript> Substitutions(ShellWord word)
    {
        foreach (var part in word.Parts)
        {
            switch (part)
            {
                case CommandSubstitutionPart substitution:
                    yield return substitution.Body;
                    break;
                case ProcessSubstitutionPart process:
                    yield return process.Body;
                    break;
                case ParameterPart parameter:
                    foreach (var script in new[] { parameter.Subscript, parameter.Operand }.OfType<ShellWord>().SelectMany(Substitutions))
                    {
                        yield return script;
                    }

                    break;
                case ArithmeticPart arithmetic:
                    foreach (var script in Substitutions(arithmetic.Expression))
                    {
                        yield return script;
                    }

                    break;
            }
        }
    }
}
