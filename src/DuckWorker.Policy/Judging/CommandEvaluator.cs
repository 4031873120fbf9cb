using DuckWorker.Policy.Rules;
using DuckWorker.Policy.Syntax;

namespace DuckWorker.Policy.Judging;

/// <summary>
/// Walks a parsed command line in execution order, threading the shell state (working directories, variables)
/// through it, and judges every simple command, redirection and substitution it meets. Control flow is
/// followed conservatively: both sides of <c>&amp;&amp;</c>/<c>||</c> and every branch count, and loops are
/// assumed to repeat.
/// </summary>
internal sealed class CommandEvaluator(PathResolver paths, Findings findings, bool singlePassLoops = false)
{
    private const int MaximumDepth = 32;

    /// <summary>How many commands one evaluation follows; nested loops that keep changing the state would otherwise grow exponentially.</summary>
    private const int MaximumWork = 20_000;

    private int depth;
    private int work;

    public PathResolver Paths { get; } = paths;

    public Findings Findings { get; } = findings;

    /// <summary>True when the command line needed more work than <see cref="MaximumWork"/> and was not followed to the end.</summary>
    public bool Exhausted => work > MaximumWork;

    /// <summary>
    /// Judges every simple command of the script once, in a state where nothing is known. This is the fallback for
    /// lines too complex to follow: nothing in them goes unjudged, though without the precision of the walk.
    /// </summary>
    public void EvaluateEachCommandAlone(ShellScript script, ShellState unknown)
    {
        foreach (var command in SyntaxWalker.SimpleCommands(script))
        {
            EvaluateCommand(command, unknown, StandardInput.Inherited);
        }
    }

    /// <summary>Judges a list; <paramref name="input"/> is what its commands read when nothing else is redirected.</summary>
    public ShellState EvaluateScript(ShellScript script, ShellState state, StandardInput? input = null)
    {
        foreach (var item in script.Items)
        {
            var after = EvaluateAndOr(item.Chain, state, input ?? StandardInput.Inherited);
            if (item.Terminator == ListTerminator.Background)
            {
                Findings.Add(Verdict.ControlsProcesses("runs in the background"), RenderChain(item.Chain));
                state = state.Join(after);
            }
            else
            {
                state = after;
            }
        }

        return state;
    }

    /// <summary>Parses and judges text that some command runs as shell code, one level deeper.</summary>
    public void EvaluateNestedText(string text, ShellState state, StandardInput input)
    {
        if (depth >= MaximumDepth)
        {
            Findings.Add(Verdict.Uncertain("nests shell code too deeply to judge"), text);
            return;
        }

        var parsed = ShellParser.Parse(text);
        foreach (var problem in parsed.Problems)
        {
            Findings.Add(Verdict.Uncertain($"cannot be parsed with certainty: {problem}"), text);
        }

        depth++;
        EvaluateScript(parsed.Script, state, input);
        depth--;
    }

    public void JudgeArguments(IReadOnlyList<Field> arguments, string segment, ShellState state, StandardInput input)
    {
        if (depth >= MaximumDepth)
        {
            Findings.Add(Verdict.Uncertain("nests commands too deeply to judge"), segment);
            return;
        }

        depth++;
        new EvaluatedText(this, state, segment).JudgeBuiltin(arguments);
        CommandJudge.Judge(new Invocation(arguments, segment, state, input, this));
        depth--;
    }

    private static string RenderChain(ShellAndOr chain) =>
        CommandRenderer.Render(new ShellScript([new ShellListItem(chain, ListTerminator.None)]));

    private ShellState EvaluateAndOr(ShellAndOr chain, ShellState state, StandardInput input)
    {
        var current = EvaluatePipeline(chain.Pipelines[0], state, input);
        for (var index = 1; index < chain.Pipelines.Count; index++)
        {
            current = current.Join(EvaluatePipeline(chain.Pipelines[index], current, input));
        }

        return current;
    }

    private ShellState EvaluatePipeline(ShellPipeline pipeline, ShellState state, StandardInput firstInput)
    {
        if (pipeline.Commands.Count == 1)
        {
            return EvaluateCommand(pipeline.Commands[0], state, firstInput);
        }

        var joined = state;
        for (var index = 0; index < pipeline.Commands.Count; index++)
        {
            var input = index == 0 ? firstInput : PipeInput(pipeline.Commands, index, firstInput.FetchedOrDecoded);
            joined = joined.Join(EvaluateCommand(pipeline.Commands[index], state, input));
        }

        return joined;
    }

    private static StandardInput PipeInput(IReadOnlyList<ShellCommand> commands, int index, bool fetchedBefore)
    {
        var fetched = fetchedBefore || commands.Take(index).Any(ScriptTraits.FetchesOrDecodes);
        var upstream = commands[index - 1];
        string? text = null;
        IReadOnlyList<string>? items = null;
        if (upstream is SimpleCommand simple)
        {
            text = LiteralOutput.Of(new ShellScript([new ShellListItem(new ShellAndOr([new ShellPipeline([simple], [], false, false)], []), ListTerminator.None)]));
            items = text?.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (items is null && simple.Words.Count > 0 && simple.Words[0].LiteralValue == "find")
            {
                var roots = simple.Words.Skip(1).TakeWhile(word => word.LiteralValue is { } value && !value.StartsWith('-') && value is not ("(" or "!")).ToList();
                items = roots.Count == 0 ? ["."] : roots.All(root => root.LiteralValue is not null) ? roots.Select(root => root.LiteralValue!).ToList() : null;
            }
        }

        return new StandardInput(StandardInputKind.Pipe, text, items, fetched);
    }

    private ShellState EvaluateCommand(ShellCommand command, ShellState state, StandardInput input)
    {
        if (++work > MaximumWork)
        {
            return state.WithDirectories(null);
        }

        foreach (var body in SyntaxWalker.Substitutions(command))
        {
            EvaluateScript(body, state);
        }

        new EvaluatedText(this, state, CommandRenderer.Render(command)).JudgeWords(command);

        if (command is SimpleCommand simple)
        {
            return EvaluateSimple(simple, state, input);
        }

        var segment = CommandRenderer.Render(command);
        new RedirectionJudge(this, segment, state).Judge(command.Redirections);
        input = RedirectionJudge.InputOf(command.Redirections, state, input);
        switch (command)
        {
            case SubshellCommand subshell:
                return state.Join(EvaluateScript(subshell.Body, state, input));
            case BraceGroupCommand group:
                return EvaluateScript(group.Body, state, input);
            case IfCommand conditional:
                return EvaluateIf(conditional, state);
            case LoopCommand loop:
                return EvaluateLoop(current => EvaluateScript(loop.Body, EvaluateScript(loop.Condition, current)), state);
            case ForCommand loop:
                var values = LoopValues(loop, state);
                return EvaluateLoop(current => EvaluateScript(loop.Body, current.WithVariable(loop.Variable, values)), state);
            case ArithmeticForCommand loop:
                return EvaluateLoop(current => EvaluateScript(loop.Body, current), state);
            case CaseCommand caseCommand:
                return caseCommand.Items.Aggregate(state, (joined, item) => joined.Join(EvaluateScript(item.Body, state)));
            case FunctionDefinition function:
                ForkBombDetector.Judge(function, Findings);
                Findings.Add(Verdict.Uncertain("defines a shell function"), segment);
                return state.Join(EvaluateCommand(function.Body, state, StandardInput.Inherited));
            case CoprocessCommand coprocess:
                Findings.Add(Verdict.ControlsProcesses("runs a coprocess in the background"), segment);
                return state.Join(EvaluateCommand(coprocess.Body, state, input));
            default:
                return state;
        }
    }

    private ShellState EvaluateIf(IfCommand conditional, ShellState state)
    {
        var outcomes = new List<ShellState>();
        var current = state;
        foreach (var branch in conditional.Branches)
        {
            current = EvaluateScript(branch.Condition, current);
            outcomes.Add(EvaluateScript(branch.Body, current));
        }

        outcomes.Add(conditional.ElseBody is null ? current : EvaluateScript(conditional.ElseBody, current));
        return outcomes.Aggregate((left, right) => left.Join(right));
    }

    /// <summary>
    /// A loop body may run zero, one or many times: after one pass, whatever it changed is widened to unknown
    /// and the body is judged again in that state (<c>cd ..</c> in a loop climbs anywhere).
    /// </summary>
    private ShellState EvaluateLoop(Func<ShellState, ShellState> onePass, ShellState state)
    {
        var after = onePass(state);
        if (singlePassLoops)
        {
            return state.Join(after);
        }

        if (after.SameAs(state))
        {
            return state;
        }

        var widened = state.Widen(after);
        return widened.Join(onePass(widened));
    }

    private static VariableValues LoopValues(ForCommand loop, ShellState state)
    {
        if (loop.Items is null)
        {
            return VariableValues.Unknown;
        }

        var expander = new WordExpander(state);
        var fields = loop.Items.SelectMany(item => expander.Expand(item).SelectMany(alternative => alternative)).ToList();
        return fields.Count == 0 || expander.Truncated
            ? VariableValues.Unknown
            : VariableValues.Of(fields.Select(field => field.Text), fields.Aggregate(FieldOrigin.Literal, (all, field) => all | field.Origin));
    }

    private ShellState EvaluateSimple(SimpleCommand command, ShellState state, StandardInput input)
    {
        var segment = CommandRenderer.Render(command);
        var expander = new WordExpander(state);
        foreach (var assignment in command.Assignments)
        {
            var exported = command.Words.Count > 0;
            if ((exported ? EnvironmentVariables.JudgeExported(assignment.Name) : EnvironmentVariables.JudgeShellVariable(assignment.Name)) is { } verdict)
            {
                Findings.Add(verdict, segment);
            }

            if (AssignmentJudge.HoldsACommand(assignment.Name))
            {
                foreach (var (value, _) in expander.ExpandWithoutSplitting(assignment.Value))
                {
                    EvaluateNestedText(Sentinel.ToShellText(AssignmentJudge.CommandOf(value)), state, StandardInput.Inherited);
                }
            }
        }

        new RedirectionJudge(this, segment, state).Judge(command.Redirections);
        if (command.Words.Count == 0)
        {
            if (command.Redirections.Count == 0)
            {
                Findings.Add(Verdict.ReadsOnly("only sets shell variables"), segment);
            }

            return AssignmentJudge.Apply(command.Assignments, expander, state);
        }

        input = RedirectionJudge.InputOf(command.Redirections, state, input);
        var alternatives = expander.ExpandArguments(command.Words);
        if (expander.Truncated)
        {
            Findings.Add(Verdict.Uncertain("expands in more ways than the policy follows"), segment);
        }

        var judged = false;
        foreach (var arguments in alternatives.DistinctBy(alternative => string.Join('\0', alternative.Select(field => field.Text))))
        {
            if (arguments.Count == 0)
            {
                continue;
            }

            judged = true;
            JudgeArguments(arguments, segment, state, input);
        }

        if (!judged)
        {
            Findings.Add(Verdict.Uncertain("expands to no command at all"), segment);
        }

        return StateTransitions.Apply(alternatives, state);
    }
}
