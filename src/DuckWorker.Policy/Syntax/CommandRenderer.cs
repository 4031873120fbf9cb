using System.Text;

namespace DuckWorker.Policy.Syntax;

/// <summary>
/// Renders a parsed command line canonically: one space between words, <c>; </c> between commands, comments
/// dropped, and each word re-quoted by one rule. Literal text is written bare when every character is plainly
/// safe, otherwise single-quoted; pattern characters keep their quoting exactly, and expansions keep their
/// source. The result parses back to the same tree, so it renders to itself: different meanings never share
/// a rendering, and spellings of the same meaning (<c>ls  -la</c>, <c>'ls' -la</c>) mostly do.
/// </summary>
internal sealed class CommandRenderer
{
    private static readonly HashSet<string> ReservedWords =
    [
        "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "select",
        "function", "time", "in", "coproc", "!", "{", "}", "[[",
    ];

    private readonly StringBuilder output = new();

    private CommandRenderer()
    {
    }

    public static string Render(ShellScript script)
    {
        var renderer = new CommandRenderer();
        renderer.AppendList(script, RenderedListStyle.TopLevel);
        return renderer.output.ToString();
    }

    public static string Render(ShellCommand command)
    {
        var renderer = new CommandRenderer();
        renderer.AppendCommand(command);
        return renderer.output.ToString();
    }

    private static string RenderNested(ShellScript script, RenderedListStyle style)
    {
        var renderer = new CommandRenderer();
        renderer.AppendList(script, style);
        return renderer.output.ToString();
    }

    private void AppendList(ShellScript script, RenderedListStyle style)
    {
        for (var index = 0; index < script.Items.Count; index++)
        {
            var item = script.Items[index];
            var isLast = index == script.Items.Count - 1;
            AppendAndOr(item.Chain);
            var background = item.Terminator == ListTerminator.Background;
            if (background)
            {
                output.Append(" &");
            }

            var hereDocuments = new List<HereDocument>();
            CollectHereDocuments(item.Chain, hereDocuments);
            if (hereDocuments.Count > 0)
            {
                output.Append('\n');
                foreach (var document in hereDocuments)
                {
                    output.Append(document.Body).Append(document.Delimiter).Append('\n');
                }

                if (isLast && style == RenderedListStyle.TopLevel)
                {
                    output.Length--;
                }
            }
            else if (!isLast || style == RenderedListStyle.Terminated)
            {
                output.Append(background ? " " : "; ");
            }
        }
    }

    /// <summary>The here-documents whose bodies follow this list item's line (not those inside nested lists).</summary>
    private static void CollectHereDocuments(ShellAndOr chain, List<HereDocument> documents)
    {
        foreach (var command in chain.Pipelines.SelectMany(pipeline => pipeline.Commands))
        {
            var current = command;
            while (true)
            {
                documents.AddRange(current.Redirections.Select(redirection => redirection.HereDocument).OfType<HereDocument>());
                if (current is FunctionDefinition function)
                {
                    current = function.Body;
                }
                else if (current is CoprocessCommand coprocess)
                {
                    current = coprocess.Body;
                }
                else
                {
                    break;
                }
            }
        }
    }

    private void AppendAndOr(ShellAndOr chain)
    {
        for (var index = 0; index < chain.Pipelines.Count; index++)
        {
            if (index > 0)
            {
                output.Append(chain.AndOperators[index - 1] ? " && " : " || ");
            }

            AppendPipeline(chain.Pipelines[index]);
        }
    }

    private void AppendPipeline(ShellPipeline pipeline)
    {
        if (pipeline.Timed)
        {
            output.Append("time ");
        }

        if (pipeline.Negated)
        {
            output.Append("! ");
        }

        for (var index = 0; index < pipeline.Commands.Count; index++)
        {
            if (index > 0)
            {
                output.Append(pipeline.StderrPipes[index - 1] ? " |& " : " | ");
            }

            AppendCommand(pipeline.Commands[index]);
        }
    }

    private void AppendCommand(ShellCommand command)
    {
        switch (command)
        {
            case SimpleCommand simple:
                AppendSimpleCommand(simple);
                return;
            case SubshellCommand subshell:
                output.Append("( ").Append(RenderNested(subshell.Body, RenderedListStyle.Parenthesized)).Append(" )");
                break;
            case BraceGroupCommand group:
                output.Append("{ ").Append(RenderNested(group.Body, RenderedListStyle.Terminated)).Append('}');
                break;
            case IfCommand conditional:
                AppendIf(conditional);
                break;
            case LoopCommand loop:
                output.Append(loop.Until ? "until " : "while ").Append(RenderNested(loop.Condition, RenderedListStyle.Terminated))
                    .Append("do ").Append(RenderNested(loop.Body, RenderedListStyle.Terminated)).Append("done");
                break;
            case ForCommand loop:
                output.Append(loop.Select ? "select " : "for ").Append(loop.Variable);
                if (loop.Items is not null)
                {
                    output.Append(" in");
                    foreach (var item in loop.Items)
                    {
                        output.Append(' ').Append(RenderWord(item, commandPosition: false));
                    }
                }

                output.Append("; do ").Append(RenderNested(loop.Body, RenderedListStyle.Terminated)).Append("done");
                break;
            case ArithmeticForCommand loop:
                output.Append("for ((").Append(loop.Text).Append(")); do ").Append(RenderNested(loop.Body, RenderedListStyle.Terminated)).Append("done");
                break;
            case CaseCommand caseCommand:
                AppendCase(caseCommand);
                break;
            case FunctionDefinition function:
                output.Append(function.Name).Append("() ");
                AppendCommand(function.Body);
                break;
            case ArithmeticCommand arithmetic:
                output.Append("((").Append(arithmetic.Text).Append("))");
                break;
            case ConditionalCommand conditional:
                output.Append("[[");
                foreach (var token in conditional.Tokens)
                {
                    output.Append(' ').Append(token.IsUnquotedLiteral ? token.LiteralValue : RenderWord(token, commandPosition: false));
                }

                output.Append(" ]]");
                break;
            case CoprocessCommand coprocess:
                output.Append("coproc ");
                if (coprocess.Name is not null)
                {
                    output.Append(coprocess.Name).Append(' ');
                }

                AppendCommand(coprocess.Body);
                break;
        }

        foreach (var redirection in command.Redirections)
        {
            output.Append(' ');
            AppendRedirection(redirection);
        }
    }

    private void AppendIf(IfCommand conditional)
    {
        for (var index = 0; index < conditional.Branches.Count; index++)
        {
            var branch = conditional.Branches[index];
            output.Append(index == 0 ? "if " : "elif ").Append(RenderNested(branch.Condition, RenderedListStyle.Terminated))
                .Append("then ").Append(RenderNested(branch.Body, RenderedListStyle.Terminated));
        }

        if (conditional.ElseBody is not null)
        {
            output.Append("else ").Append(RenderNested(conditional.ElseBody, RenderedListStyle.Terminated));
        }

        output.Append("fi");
    }

    private void AppendCase(CaseCommand caseCommand)
    {
        output.Append("case ").Append(RenderWord(caseCommand.Subject, commandPosition: false)).Append(" in");
        foreach (var item in caseCommand.Items)
        {
            output.Append(' ').AppendJoin(" | ", item.Patterns.Select(pattern => RenderWord(pattern, commandPosition: false))).Append(") ");
            var body = RenderNested(item.Body, RenderedListStyle.Parenthesized);
            output.Append(body);
            if (body.Length > 0 && !body.EndsWith('\n'))
            {
                output.Append(' ');
            }

            output.Append(item.Terminator.Length == 0 ? ";;" : item.Terminator);
        }

        output.Append(" esac");
    }

    private void AppendSimpleCommand(SimpleCommand command)
    {
        var first = true;
        foreach (var assignment in command.Assignments)
        {
            Separate(ref first);
            output.Append(RenderWord(assignment.Target, commandPosition: false)).Append(assignment.Append ? "+=" : "=");
            if (assignment.Elements is not null)
            {
                output.Append('(').AppendJoin(' ', assignment.Elements.Select(element => RenderWord(element, commandPosition: false))).Append(')');
            }
            else if (assignment.Value.Parts.Count > 0)
            {
                output.Append(RenderWord(assignment.Value, commandPosition: false));
            }
        }

        for (var index = 0; index < command.Words.Count; index++)
        {
            Separate(ref first);
            output.Append(RenderWord(command.Words[index], commandPosition: index == 0));
        }

        foreach (var redirection in command.Redirections)
        {
            Separate(ref first);
            AppendRedirection(redirection);
        }
    }

    private void Separate(ref bool first)
    {
        if (!first)
        {
            output.Append(' ');
        }

        first = false;
    }

    private void AppendRedirection(ShellRedirection redirection)
    {
        if (redirection.FdVariable is not null)
        {
            output.Append('{').Append(redirection.FdVariable).Append('}');
        }
        else if (redirection.Fd is { } fd)
        {
            output.Append(fd);
        }

        output.Append(redirection.Operator switch
        {
            RedirectionOperator.Input => "<",
            RedirectionOperator.Output => ">",
            RedirectionOperator.Append => ">>",
            RedirectionOperator.Clobber => ">|",
            RedirectionOperator.ReadWrite => "<>",
            RedirectionOperator.HereDocument => "<<",
            RedirectionOperator.HereString => "<<<",
            RedirectionOperator.DuplicateInput => "<&",
            RedirectionOperator.DuplicateOutput => ">&",
            RedirectionOperator.OutputAndError => "&>",
            _ => "&>>",
        });

        if (redirection.HereDocument is { } document)
        {
            output.Append(document.QuotedDelimiter ? SingleQuote(document.Delimiter) : document.Delimiter);
        }
        else if (redirection.IsDescriptorDuplication)
        {
            output.Append(redirection.Target.LiteralValue);
        }
        else
        {
            output.Append(' ').Append(RenderWord(redirection.Target, commandPosition: false));
        }
    }

    public static string RenderWord(ShellWord word, bool commandPosition)
    {
        if (word.Parts.Count == 0)
        {
            return "''";
        }

        // Unquoted characters outside the plain set may mean something (patterns, braces, a regex anchor): such a
        // word keeps every character's quoting exactly as written.
        var hasUnquotedPattern = word.Parts.Any(part => part is TildePart
            || (part is LiteralPart { Quoted: false } literal && !literal.Text.All(IsSafeCharacter)));

        // A command name is a keyword only when written first, and the rendering writes redirections last: a name that
        // spells a keyword (`<x !`, `"if"`) is quoted so that it stays a name.
        if (commandPosition && word.LiteralValue is { } name && ReservedWords.Contains(name))
        {
            return SingleQuote(name);
        }

        if (word.Parts.All(part => part is LiteralPart) && !hasUnquotedPattern)
        {
            var value = word.LiteralValue!;
            var bare = IsSafe(value) && !(commandPosition && word.HasQuoting && LooksLikeAssignment(value));
            return bare ? value : SingleQuote(value);
        }

        var forceQuotes = hasUnquotedPattern || (commandPosition && word.HasQuoting && LooksLikeAssignment(LeadingLiteral(word)));
        var rendered = new StringBuilder();
        WordPart? previous = null;
        foreach (var part in word.Parts)
        {
            switch (part)
            {
                case LiteralPart { Quoted: false } literal:
                    rendered.Append(literal.Text);
                    break;
                case LiteralPart { Text.Length: 0 }:
                    // Still here, an empty quote is what keeps the word (or its leading `#` or `~`) as written.
                    rendered.Append("''");
                    break;
                case LiteralPart literal:
                    var text = literal.Text;
                    if (previous is TildePart && text[0] == '/')
                    {
                        rendered.Append('/');
                        text = text[1..];
                    }

                    var gluesToName = previous is ParameterPart { Quoted: false, IsBareName: true }
                        && text.Length > 0 && (char.IsAsciiLetterOrDigit(text[0]) || text[0] == '_');
                    rendered.Append(text.Length == 0 ? "" : IsSafe(text) && !forceQuotes && !gluesToName ? text : SingleQuote(text));
                    break;
                case TildePart tilde:
                    rendered.Append('~').Append(tilde.User);
                    break;
                case ParameterPart parameter:
                    rendered.Append(parameter.Quoted ? $"\"{parameter.Source}\"" : parameter.Source);
                    break;
                case CommandSubstitutionPart substitution:
                    var inner = RenderNested(substitution.Body, RenderedListStyle.Parenthesized);
                    var body = "$(" + (inner.StartsWith('(') ? " " : "") + inner + ")";
                    rendered.Append(substitution.Quoted ? $"\"{body}\"" : body);
                    break;
                case ArithmeticPart arithmetic:
                    var expression = arithmetic.Bracketed ? "$[" + arithmetic.Text + "]" : "$((" + arithmetic.Text + "))";
                    rendered.Append(arithmetic.Quoted ? $"\"{expression}\"" : expression);
                    break;
                case ProcessSubstitutionPart process:
                    var processBody = RenderNested(process.Body, RenderedListStyle.Parenthesized);
                    rendered.Append(process.Output ? ">(" : "<(").Append(processBody.StartsWith('(') ? " " : "").Append(processBody).Append(')');
                    break;
            }

            previous = part;
        }

        return rendered.Length == 0 ? "''" : rendered.ToString();
    }

    private static string LeadingLiteral(ShellWord word) =>
        string.Concat(word.Parts.TakeWhile(part => part is LiteralPart).Cast<LiteralPart>().Select(literal => literal.Text));

    private static bool LooksLikeAssignment(string value)
    {
        var index = 0;
        while (index < value.Length && (char.IsAsciiLetter(value[index]) || value[index] == '_' || (index > 0 && char.IsAsciiDigit(value[index]))))
        {
            index++;
        }

        return index > 0 && index < value.Length && (value[index] is '=' or '[' || value.AsSpan(index).StartsWith("+="));
    }

    private static bool IsSafe(string value) => value.Length > 0 && value.All(IsSafeCharacter);

    private static bool IsSafeCharacter(char character) =>
        char.IsAsciiLetterOrDigit(character) || character is '_' or '@' or '%' or '+' or ':' or ',' or '.' or '/' or '=' or '-';

    /// <summary>Single quotes, or ANSI-C quotes when the text holds hidden characters, so a rendering never carries them raw.</summary>
    public static string SingleQuote(string value)
    {
        if (!HiddenCharacters.Any(value))
        {
            return "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        }

        var quoted = new StringBuilder("$'");
        foreach (var character in value)
        {
            quoted.Append(character switch
            {
                '\\' => "\\\\",
                '\'' => "\\'",
                _ when HiddenCharacters.IsHidden(character) => character <= '\u00ff' ? $"\\x{(int)character:x2}" : $"\\u{(int)character:x4}",
                _ => character.ToString(),
            });
        }

        return quoted.Append('\'').ToString();
    }
}
