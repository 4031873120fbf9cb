using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Syntax;

/// <summary>
/// A recursive-descent parser for the bash command language. It never throws on input: whatever it cannot
/// read with certainty becomes a problem in <see cref="ParsedCommandLine.Problems"/> and parsing goes on, so
/// that the rest of the line is still judged. Nesting is bounded, so hostile input cannot exhaust the stack.
/// </summary>
internal sealed partial class ShellParser
{
    private const int MaxNesting = 48;

    private static readonly HashSet<string> ReservedWords =
    [
        "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for", "select",
        "function", "time", "{", "}", "!", "[[", "coproc",
    ];

    private static readonly HashSet<string> ListTerminatingWords = ["then", "elif", "else", "fi", "do", "done", "esac", "}"];

    private readonly string text;
    private readonly List<string> problems;
    private readonly List<(HereDocument Document, bool StripTabs)> pendingHereDocuments = [];
    private readonly int baseNesting;
    private int position;
    private int nesting;

    private ShellParser(string text, List<string> problems, int baseNesting)
    {
        this.text = text;
        this.problems = problems;
        this.baseNesting = baseNesting;
    }

    public static ParsedCommandLine Parse(string commandLine)
    {
        var problems = new List<string>();
        var script = new ShellParser(commandLine, problems, 0).ParseProgram();
        return new ParsedCommandLine(script, problems);
    }

    /// <summary>
    /// Reads text that bash expands as a whole without splitting it into words (an arithmetic expression, a subscript,
    /// a prompt string): quotes are taken as literal text, and every substitution in it is found.
    /// </summary>
    public static (ShellWord Word, IReadOnlyList<string> Problems) ParseExpandable(string text)
    {
        var problems = new List<string>();
        var word = new ShellParser(text, problems, 0).ReadExpandableText(ExpandableTextMode.HereDocument);
        return (word, problems);
    }

    private bool AtEnd => position >= text.Length;

    private char Current => text[position];

    private ShellScript ParseProgram()
    {
        if (baseNesting > MaxNesting)
        {
            problems.Add("the command nests too deeply to judge");
            return ShellScript.Empty;
        }

        var items = new List<ShellListItem>();
        while (true)
        {
            items.AddRange(ParseList().Items);
            SkipLineBreaks();
            if (AtEnd)
            {
                break;
            }

            ReportUnexpectedToken();
        }

        if (pendingHereDocuments.Count > 0)
        {
            problems.Add($"here-document `{pendingHereDocuments[0].Document.Delimiter}` has no body");
            pendingHereDocuments.Clear();
        }

        return new ShellScript(items);
    }

    private ShellScript ParseList()
    {
        var items = new List<ShellListItem>();
        while (true)
        {
            SkipLineBreaks();
            if (AtListEnd())
            {
                break;
            }

            var chain = ParseAndOr();
            if (chain is null)
            {
                break;
            }

            var terminator = ReadTerminator();
            items.Add(new ShellListItem(chain, terminator));
            if (terminator == ListTerminator.None)
            {
                break;
            }
        }

        return new ShellScript(items);
    }

    private ShellScript ParseListUntilCloseParen()
    {
        var items = new List<ShellListItem>();
        if (!Enter())
        {
            return ShellScript.Empty;
        }

        while (true)
        {
            items.AddRange(ParseList().Items);
            SkipLineBreaks();
            if (AtEnd)
            {
                problems.Add("missing `)`");
                break;
            }

            if (Current == ')')
            {
                position++;
                break;
            }

            ReportUnexpectedToken();
        }

        Leave();
        return new ShellScript(items);
    }

    private bool AtListEnd()
    {
        if (AtEnd || Current == ')' || LooksAt(";;") || LooksAt(";&"))
        {
            return true;
        }

        return PeekReservedWord() is { } word && ListTerminatingWords.Contains(word);
    }

    private ListTerminator ReadTerminator()
    {
        SkipBlanks();
        if (AtEnd)
        {
            return ListTerminator.None;
        }

        if (Current == '&' && !LooksAt("&&") && !LooksAt("&>"))
        {
            position++;
            return ListTerminator.Background;
        }

        if (Current == ';' && !LooksAt(";;") && !LooksAt(";&"))
        {
            position++;
            return ListTerminator.Semicolon;
        }

        if (Current == '\n')
        {
            ConsumeNewline();
            return ListTerminator.Newline;
        }

        return ListTerminator.None;
    }

    private ShellAndOr? ParseAndOr()
    {
        var first = ParsePipeline();
        if (first is null)
        {
            return null;
        }

        var pipelines = new List<ShellPipeline> { first };
        var operators = new List<bool>();
        while (true)
        {
            SkipBlanks();
            bool isAnd;
            if (LooksAt("&&"))
            {
                isAnd = true;
            }
            else if (LooksAt("||"))
            {
                isAnd = false;
            }
            else
            {
                break;
            }

            position += 2;
            SkipLineBreaks();
            var next = ParsePipeline();
            if (next is null)
            {
                problems.Add($"missing command after `{(isAnd ? "&&" : "||")}`");
                break;
            }

            operators.Add(isAnd);
            pipelines.Add(next);
        }

        return new ShellAndOr(pipelines, operators);
    }

    private ShellPipeline? ParsePipeline()
    {
        SkipBlanks();
        var negated = false;
        var timed = false;
        while (PeekReservedWord() is "!" or "time")
        {
            if (PeekReservedWord() == "!")
            {
                position++;
                negated = true;
            }
            else
            {
                position += 4;
                timed = true;
                SkipBlanks();
                if (LooksAt("-p") && IsDelimiterAt(position + 2))
                {
                    position += 2;
                }
            }

            SkipBlanks();
        }

        var first = ParseCommand();
        if (first is null)
        {
            if (negated || timed)
            {
                problems.Add($"missing command after `{(negated ? "!" : "time")}`");
            }

            return null;
        }

        var commands = new List<ShellCommand> { first };
        var stderrPipes = new List<bool>();
        while (true)
        {
            SkipBlanks();
            if (AtEnd || Current != '|' || LooksAt("||"))
            {
                break;
            }

            position++;
            var stderr = !AtEnd && Current == '&';
            if (stderr)
            {
                position++;
            }

            SkipLineBreaks();
            var next = ParseCommand();
            if (next is null)
            {
                problems.Add("missing command after `|`");
                break;
            }

            stderrPipes.Add(stderr);
            commands.Add(next);
        }

        return new ShellPipeline(commands, stderrPipes, negated, timed);
    }

    private ShellCommand? ParseCommand()
    {
        SkipBlanks();
        if (AtEnd)
        {
            return null;
        }

        ShellCommand? command;
        var reserved = PeekReservedWord();
        if (reserved is not null && ListTerminatingWords.Contains(reserved))
        {
            return null;
        }

        switch (reserved)
        {
            case "if":
                command = ParseIf();
                break;
            case "while":
                command = ParseLoop(until: false);
                break;
            case "until":
                command = ParseLoop(until: true);
                break;
            case "for":
            case "select":
                command = ParseFor(reserved == "select");
                break;
            case "case":
                command = ParseCase();
                break;
            case "function":
                command = ParseFunctionKeyword();
                break;
            case "{":
                command = ParseBraceGroup();
                break;
            case "[[":
                command = ParseConditional();
                break;
            case "coproc":
                command = ParseCoprocess();
                break;
            default:
                if (Current == '(')
                {
                    command = LooksAt("((") && TryParseArithmeticCommand(out var arithmetic)
                        ? arithmetic
                        : ParseSubshell();
                }
                else
                {
                    return ParseSimpleCommand();
                }

                break;
        }

        if (command is null)
        {
            return null;
        }

        var redirections = ParseTrailingRedirections();
        return redirections.Count == 0 ? command : command with { Redirections = [.. command.Redirections, .. redirections] };
    }

    private List<ShellRedirection> ParseTrailingRedirections()
    {
        var redirections = new List<ShellRedirection>();
        while (true)
        {
            SkipBlanks();
            if (!TryParseRedirection(out var redirection))
            {
                return redirections;
            }

            redirections.Add(redirection);
        }
    }

    private ShellCommand? ParseSimpleCommand()
    {
        var assignments = new List<ShellAssignment>();
        var words = new List<ShellWord>();
        var redirections = new List<ShellRedirection>();
        while (true)
        {
            SkipBlanks();
            if (AtEnd)
            {
                break;
            }

            if (TryParseRedirection(out var redirection))
            {
                redirections.Add(redirection);
                continue;
            }

            if (!AtWordStart())
            {
                break;
            }

            var word = ReadWord(regexMode: false);
            if (words.Count == 0 && TrySplitAssignment(word, out var assignment))
            {
                assignments.Add(ReadArrayElementsIfAny(assignment));
                continue;
            }

            words.Add(Tilde.Expand(word));
            if (words.Count == 1 && assignments.Count == 0 && redirections.Count == 0
                && IsFunctionName(word) && TryConsumeFunctionParentheses())
            {
                return ParseFunctionBody(word.LiteralValue!);
            }
        }

        if (assignments.Count == 0 && words.Count == 0 && redirections.Count == 0)
        {
            return null;
        }

        return new SimpleCommand(assignments, words, redirections);
    }

    private ShellAssignment ReadArrayElementsIfAny(ShellAssignment assignment)
    {
        if (assignment.Value.Parts.Count != 0 || AtEnd || Current != '(')
        {
            return assignment;
        }

        position++;
        var elements = new List<ShellWord>();
        while (true)
        {
            SkipLineBreaks();
            if (AtEnd)
            {
                problems.Add("missing `)` after array elements");
                break;
            }

            if (Current == ')')
            {
                position++;
                break;
            }

            if (!AtWordStart())
            {
                problems.Add($"unexpected `{Current}` in array elements");
                position++;
                continue;
            }

            elements.Add(Tilde.Expand(ReadWord(regexMode: false)));
        }

        return assignment with { Elements = elements };
    }

    private static bool IsFunctionName(ShellWord word) =>
        word.IsUnquotedLiteral && word.LiteralValue is { Length: > 0 } name && !name.Contains('=');

    private bool TryConsumeFunctionParentheses()
    {
        var saved = position;
        SkipBlanks();
        if (!AtEnd && Current == '(')
        {
            position++;
            SkipBlanks();
            if (!AtEnd && Current == ')')
            {
                position++;
                return true;
            }
        }

        position = saved;
        return false;
    }

    private FunctionDefinition ParseFunctionBody(string name)
    {
        SkipLineBreaks();
        var body = ParseCommand();
        if (body is null)
        {
            problems.Add($"function `{name}` has no body");
            body = new BraceGroupCommand(ShellScript.Empty, []);
        }

        return new FunctionDefinition(name, body, []);
    }

    private bool Enter()
    {
        nesting++;
        if (baseNesting + nesting <= MaxNesting)
        {
            return true;
        }

        problems.Add("the command nests too deeply to judge");
        position = text.Length;
        nesting--;
        return false;
    }

    private void Leave() => nesting--;

    private ShellParser CreateNested(string nestedText) => new(nestedText, problems, baseNesting + nesting + 1);

    private void ReportUnexpectedToken()
    {
        var length = PeekReservedWord()?.Length ?? (
            LooksAt(";;&") ? 3
            : LooksAt(";;") || LooksAt(";&") || LooksAt("&&") || LooksAt("||") || LooksAt("|&") ? 2
            : 1);
        problems.Add($"unexpected `{text.Substring(position, length)}`");
        position += length;
    }
}
