using System.Text.RegularExpressions;
using DuckWorker.Policy.Syntax;

namespace DuckWorker.Policy.Judging;

/// <summary>
/// Text bash evaluates as code although no command names it: arithmetic (<c>$((…))</c>, <c>((…))</c>, <c>let</c>,
/// <c>declare -i</c>, the operands of <c>[[ a -eq b ]]</c>), array subscripts (<c>test -v 'a[…]'</c>, <c>printf -v</c>,
/// <c>read</c>, <c>unset</c>, <c>${a[…]}</c>) and prompt strings (<c>${x@P}</c>). Bash expands a subscript again when
/// it evaluates it, so <c>'a[$(cmd)]'</c> runs <c>cmd</c> even single-quoted, and a variable an expression names is
/// evaluated in turn (<c>x='a[$(cmd)]'; echo $((x))</c>). The commands such text runs are judged like any other;
/// text or a value the policy cannot know needs approval, since it could run anything.
/// </summary>
internal sealed partial class EvaluatedText(CommandEvaluator evaluator, ShellState state, string segment)
{
    private const int MaximumDepth = 8;

    private static readonly HashSet<string> ArithmeticComparisons = ["-eq", "-ne", "-lt", "-le", "-gt", "-ge"];

    private static readonly HashSet<string> DeclarationBuiltins = ["declare", "typeset", "local", "export", "readonly"];

    /// <summary>Judges the arithmetic and subscripts written in a command's words and in compound commands that evaluate them.</summary>
    public void JudgeWords(ShellCommand command)
    {
        switch (command)
        {
            case ArithmeticCommand arithmetic:
                JudgeArithmeticWord(arithmetic.Expression);
                break;
            case ArithmeticForCommand loop:
                JudgeArithmeticWord(loop.Header);
                break;
            case ConditionalCommand conditional:
                JudgeConditional(conditional.Tokens);
                break;
        }

        var words = command switch
        {
            SimpleCommand simple => simple.Words.Concat(simple.Assignments.SelectMany(assignment => new[] { assignment.Value }.Concat(assignment.Elements ?? []))),
            ConditionalCommand conditional => conditional.Tokens,
            ForCommand loop => loop.Items ?? [],
            CaseCommand caseCommand => caseCommand.Items.SelectMany(item => item.Patterns).Prepend(caseCommand.Subject),
            _ => [],
        };

        foreach (var word in words.Concat(command.Redirections.Select(redirection => redirection.HereDocument?.Expansion ?? redirection.Target)))
        {
            JudgeParts(word);
        }

        if (command is SimpleCommand withAssignments)
        {
            foreach (var assignment in withAssignments.Assignments)
            {
                foreach (var (value, _) in new WordExpander(state).ExpandWithoutSplitting(assignment.Value))
                {
                    JudgeValue(value);
                }
            }

            foreach (var assignment in withAssignments.Assignments.Where(assignment => assignment.Target.Parts.Count > 1 || assignment.Target.LiteralValue?.Contains('[') == true))
            {
                foreach (var (target, _) in new WordExpander(state).ExpandWithoutSplitting(assignment.Target))
                {
                    JudgeName(target);
                }
            }
        }
    }

    /// <summary>
    /// Judges what a builtin evaluates among its expanded arguments: the names it assigns or tests may carry a
    /// subscript, <c>let</c> and <c>declare -i</c> evaluate arithmetic, <c>mapfile -C</c> and <c>complete -C</c> run code.
    /// </summary>
    public void JudgeBuiltin(IReadOnlyList<Field> arguments)
    {
        var name = CommandName.BaseName(arguments[0].Text);
        var operands = arguments.Skip(1).ToList();
        switch (name)
        {
            case "let":
                operands.ForEach(operand => JudgeArithmetic(operand.Text));
                break;
            case "test" or "[":
                ForEachAfter(operands, ["-v", "-R"], JudgeName);
                break;
            case "printf":
                ForEachOptionValue(operands, 'v', JudgeName);
                break;
            case "wait":
                ForEachOptionValue(operands, 'p', JudgeName);
                break;
            case "read":
                ForEachOptionValue(operands, 'a', JudgeName);
                OperandsAfterOptions(operands, "dinNptu").ForEach(operand => JudgeName(operand.Text));
                break;
            case "mapfile" or "readarray":
                ForEachOptionValue(operands, 'C', code => evaluator.EvaluateNestedText(Sentinel.ToShellText(code), state, StandardInput.Inherited));
                OperandsAfterOptions(operands, "dnOsucC").ForEach(operand => JudgeName(operand.Text));
                break;
            case "complete" or "compgen":
                ForEachOptionValue(operands, 'C', code => evaluator.EvaluateNestedText(Sentinel.ToShellText(code), state, StandardInput.Inherited));
                break;
            case "unset":
                operands.Where(operand => !operand.Text.StartsWith('-')).ToList().ForEach(operand => JudgeName(operand.Text));
                break;
            case "getopts" when operands.Count >= 2:
                JudgeName(operands[1].Text);
                break;
            case var declaration when DeclarationBuiltins.Contains(declaration):
                JudgeDeclaration(operands);
                break;
        }
    }

    /// <summary>Judges text bash evaluates as an arithmetic expression (a subscript is one).</summary>
    public void JudgeArithmetic(string text, int depth = 0)
    {
        if (text.Contains(Sentinel.Unknown))
        {
            Report(Verdict.RunsCode("evaluates as arithmetic or an array subscript a value the policy cannot know, which can run commands"));
            return;
        }

        if (depth > MaximumDepth)
        {
            Report(Verdict.Uncertain("evaluates variables in arithmetic too deeply to follow"));
            return;
        }

        if (text.Contains('$') || text.Contains('`'))
        {
            JudgeExpansions(text, depth);
        }

        foreach (var identifier in Identifier().Matches(text).Select(match => match.Value).Distinct())
        {
            if (state.Variables.TryGetValue(identifier, out var values))
            {
                foreach (var candidate in values.Candidates.Where(candidate => !IsInert(candidate)))
                {
                    JudgeArithmetic(candidate, depth + 1);
                }
            }
        }
    }

    /// <summary>
    /// A value that holds a subscript with a substitution (<c>x='a[$(cmd)]'</c>) runs that command wherever bash later
    /// evaluates it: in arithmetic, through an integer attribute given earlier, a reference, or an indirection. Such a
    /// value is judged as the code it carries wherever it is assigned.
    /// </summary>
    private void JudgeValue(string value)
    {
        var open = value.IndexOf('[');
        var close = open < 0 ? -1 : value.LastIndexOf(']');
        if (close > open && value.AsSpan(open, close - open).IndexOfAny("$`") >= 0)
        {
            JudgeArithmetic(value);
        }
    }

    /// <summary>Judges a variable name an assignment or test evaluates: only its subscript is code.</summary>
    private void JudgeName(string name)
    {
        if (name.Contains(Sentinel.Unknown))
        {
            Report(Verdict.RunsCode("assigns or tests a variable whose name the policy cannot know; a subscript in it can run commands"));
            return;
        }

        var open = name.IndexOf('[');
        if (open >= 0)
        {
            var close = name.LastIndexOf(']');
            JudgeArithmetic(close > open ? name[(open + 1)..close] : name[(open + 1)..]);
        }
    }

    /// <summary>Text whose expansions bash performs before evaluating it: substitutions in it run, and what it expands to is evaluated again.</summary>
    private void JudgeExpansions(string text, int depth)
    {
        var (word, problems) = ShellParser.ParseExpandable(Sentinel.ToShellText(text));
        foreach (var problem in problems)
        {
            Report(Verdict.Uncertain($"evaluates text that cannot be parsed with certainty: {problem}"));
        }

        foreach (var body in SyntaxWalker.Substitutions(word))
        {
            evaluator.EvaluateScript(body, state);
        }

        foreach (var (expanded, _) in new WordExpander(WithEnvironmentValues(word)).ExpandWithoutSplitting(word))
        {
            if (expanded != text)
            {
                JudgeArithmetic(expanded, depth + 1);
            }
        }
    }

    private void JudgeArithmeticWord(ShellWord expression)
    {
        foreach (var (text, _) in new WordExpander(WithEnvironmentValues(expression)).ExpandWithoutSplitting(expression))
        {
            JudgeArithmetic(text);
        }
    }

    /// <summary>Arithmetic expansions, subscripts, substring offsets, indirections and prompt expansions in a word.</summary>
    private void JudgeParts(ShellWord word)
    {
        foreach (var part in word.Parts)
        {
            switch (part)
            {
                case ArithmeticPart arithmetic:
                    JudgeArithmeticWord(arithmetic.Expression);
                    JudgeParts(arithmetic.Expression);
                    break;
                case ParameterPart parameter:
                    JudgeParameter(parameter);
                    break;
            }
        }
    }

    private void JudgeParameter(ParameterPart parameter)
    {
        if (parameter.Subscript is { } subscript)
        {
            JudgeArithmeticWord(subscript);
            JudgeParts(subscript);
        }

        if (parameter.Operand is { } operand)
        {
            if (parameter.Operator == ":")
            {
                JudgeArithmeticWord(operand);
            }

            JudgeParts(operand);
        }

        var prompt = parameter.Operator == "@" && parameter.Operand?.LiteralValue == "P";
        var indirect = parameter.Indirect && parameter.Operator is not ("@" or "*") && parameter.Subscript?.LiteralValue is not ("@" or "*");
        if ((prompt || indirect) && state.Variables.TryGetValue(parameter.Name, out var values))
        {
            foreach (var candidate in values.Candidates)
            {
                if (prompt && !candidate.Contains(Sentinel.Unknown))
                {
                    JudgeExpansions(candidate, 1);
                }
                else
                {
                    JudgeArithmetic(candidate, 1);
                }
            }
        }
    }

    /// <summary><c>[[ a -eq b ]]</c> evaluates both operands as arithmetic; <c>[[ -v name ]]</c> evaluates the subscript.</summary>
    private void JudgeConditional(IReadOnlyList<ShellWord> tokens)
    {
        for (var index = 0; index < tokens.Count; index++)
        {
            var token = tokens[index].LiteralValue;
            if (token is not null && ArithmeticComparisons.Contains(token))
            {
                foreach (var operand in new[] { index - 1, index + 1 }.Where(position => position >= 0 && position < tokens.Count))
                {
                    JudgeArithmeticWord(tokens[operand]);
                }
            }
            else if (token is "-v" or "-R" && index + 1 < tokens.Count)
            {
                foreach (var (name, _) in new WordExpander(WithEnvironmentValues(tokens[index + 1])).ExpandWithoutSplitting(tokens[index + 1]))
                {
                    JudgeName(name);
                }
            }
        }
    }

    private void JudgeDeclaration(List<Field> operands)
    {
        var flags = string.Concat(operands.Select(operand => operand.Text).Where(text => text.Length > 1 && text[0] is '-' or '+').Select(text => text[1..]));
        var evaluatesValues = flags.Contains('i') || flags.Contains('n');
        foreach (var operand in operands.Where(operand => operand.Text.Length == 0 || operand.Text[0] is not ('-' or '+')))
        {
            var equals = AssignmentSign(operand.Text);
            JudgeName(equals < 0 ? operand.Text : operand.Text[..equals]);
            if (equals >= 0 && evaluatesValues)
            {
                JudgeArithmetic(operand.Text[(equals + 1)..]);
            }
            else if (equals < 0 && evaluatesValues)
            {
                Report(Verdict.Uncertain($"makes {operand.Display} an integer or a reference, so every value later assigned to it, read into it or named by it is evaluated as code the policy does not follow"));
            }
            else if (equals >= 0)
            {
                JudgeValue(operand.Text[(equals + 1)..]);
            }
        }
    }

    /// <summary>The <c>=</c> of <c>name[subscript]=value</c>: the first one outside the brackets.</summary>
    private static int AssignmentSign(string operand)
    {
        var depth = 0;
        for (var index = 0; index < operand.Length; index++)
        {
            switch (operand[index])
            {
                case '[':
                    depth++;
                    break;
                case ']':
                    depth--;
                    break;
                case '=' when depth <= 0:
                    return index;
            }
        }

        return -1;
    }

    /// <summary>
    /// A state where variables the line never assigned have an inert value: they come from the worker's own
    /// environment, which the proposed command cannot choose.
    /// </summary>
    private ShellState WithEnvironmentValues(ShellWord word)
    {
        var known = state;
        foreach (var name in ParameterNames(word).Where(name => !state.Variables.ContainsKey(name)))
        {
            known = known.WithVariable(name, VariableValues.Of(["0"], FieldOrigin.Literal));
        }

        return known;
    }

    private static IEnumerable<string> ParameterNames(ShellWord word) =>
        word.Parts.SelectMany(part => part switch
        {
            ParameterPart parameter => new[] { parameter.Subscript, parameter.Operand }.OfType<ShellWord>().SelectMany(ParameterNames).Prepend(parameter.Name),
            ArithmeticPart arithmetic => ParameterNames(arithmetic.Expression),
            _ => [],
        });

    private static void ForEachAfter(List<Field> operands, HashSet<string> options, Action<string> judge)
    {
        for (var index = 0; index + 1 < operands.Count; index++)
        {
            if (options.Contains(operands[index].Text))
            {
                judge(operands[index + 1].Text);
            }
        }
    }

    /// <summary>The values of a one-letter option, written apart (<c>-v name</c>) or attached (<c>-vname</c>), before the first operand.</summary>
    private static void ForEachOptionValue(List<Field> operands, char option, Action<string> judge)
    {
        for (var index = 0; index < operands.Count; index++)
        {
            var text = operands[index].Text;
            if (text == "--" || text.Length < 2 || text[0] != '-')
            {
                return;
            }

            var at = text.IndexOf(option, 1);
            if (at > 0)
            {
                if (at + 1 < text.Length)
                {
                    judge(text[(at + 1)..]);
                }
                else if (index + 1 < operands.Count)
                {
                    judge(operands[++index].Text);
                }
            }
        }
    }

    /// <summary>The operands after the options, skipping the values of options that take one.</summary>
    private static List<Field> OperandsAfterOptions(List<Field> operands, string optionsWithValues)
    {
        var index = 0;
        while (index < operands.Count && operands[index].Text.Length > 1 && operands[index].Text[0] == '-')
        {
            var text = operands[index].Text;
            index++;
            if (text == "--")
            {
                break;
            }

            for (var at = 1; at < text.Length; at++)
            {
                if (optionsWithValues.Contains(text[at]))
                {
                    index += at == text.Length - 1 ? 1 : 0;
                    break;
                }
            }
        }

        return operands.Skip(index).ToList();
    }

    private static bool IsInert(string value) => value.All(character => char.IsAsciiDigit(character) || character is '-' or '+' or ' ');

    private void Report(Verdict verdict) => evaluator.Findings.Add(verdict, segment);

    /// <summary>A variable name in an expression: not part of a number (<c>0x1f</c>, <c>16#ff</c>), a <c>$</c> expansion or a longer word.</summary>
    [GeneratedRegex(@"(?<![\w$#@.\uE000-\uE008])[A-Za-z_]\w*")]
    private static partial Regex Identifier();
}
