using DuckWorker.Policy.Judging;
using DuckWorker.Policy.Syntax;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// Finds fork bombs by shape, whatever the function is called: a function that starts copies of itself in a
/// pipeline or in the background (<c>:(){ :|:&amp; };:</c>, <c>bomb(){ bomb|bomb&amp; }</c>).
/// </summary>
internal static class ForkBombDetector
{
    public static void Judge(FunctionDefinition function, Findings findings)
    {
        if (SpawnsItself(function.Body, function.Name, spawning: false))
        {
            findings.Add(Verdict.Destroys("is a fork bomb: the function starts copies of itself"), CommandRenderer.Render(function));
        }
    }

    private static bool SpawnsItself(ShellCommand command, string name, bool spawning)
    {
        if (command is SimpleCommand simple)
        {
            return spawning && simple.Words.Count > 0 && CommandName.BaseName(simple.Words[0].LiteralValue ?? "") == name;
        }

        var scripts = command switch
        {
            SubshellCommand subshell => [subshell.Body],
            BraceGroupCommand group => [group.Body],
            IfCommand conditional => conditional.Branches.SelectMany(branch => new[] { branch.Condition, branch.Body })
                .Concat(conditional.ElseBody is null ? [] : [conditional.ElseBody]),
            LoopCommand loop => [loop.Condition, loop.Body],
            ForCommand loop => [loop.Body],
            ArithmeticForCommand loop => [loop.Body],
            CaseCommand caseCommand => caseCommand.Items.Select(item => item.Body),
            CoprocessCommand coprocess => [new ShellScript([new ShellListItem(new ShellAndOr([new ShellPipeline([coprocess.Body], [], false, false)], []), ListTerminator.Background)])],
            _ => [],
        };

        foreach (var item in scripts.SelectMany(script => script.Items))
        {
            var background = item.Terminator == ListTerminator.Background;
            foreach (var pipeline in item.Chain.Pipelines)
            {
                var inPipeline = pipeline.Commands.Count > 1;
                if (pipeline.Commands.Any(inner => SpawnsItself(inner, name, spawning || background || inPipeline)))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
