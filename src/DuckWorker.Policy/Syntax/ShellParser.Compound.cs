using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Syntax;

/// <summary>Compound commands: groups, subshells, conditionals, loops, <c>case</c>, functions.</summary>
internal sealed partial class ShellParser
{
    private bool Expect(string reservedWord)
    {
        SkipLineBreaks();
        if (PeekReservedWord() == reservedWord)
        {
            position += reservedWord.Length;
            return true;
        }

        problems.Add($"missing `{reservedWord}`");
        return false;
    }

    private ShellCommand? ParseIf()
    {
        position += 2;
        if (!Enter())
        {
            return null;
        }

        var branches = new List<ConditionalBranch>();
        ShellScript? elseBody = null;
        var condition = ParseList();
        Expect("then");
        branches.Add(new ConditionalBranch(condition, ParseList()));
        while (true)
        {
            SkipLineBreaks();
            var word = PeekReservedWord();
            if (word == "elif")
            {
                position += 4;
                condition = ParseList();
                Expect("then");
                branches.Add(new ConditionalBranch(condition, ParseList()));
                continue;
            }

            if (word == "else")
            {
                position += 4;
                elseBody = ParseList();
                Expect("fi");
            }
            else if (word == "fi")
            {
                position += 2;
            }
            else
            {
                problems.Add("missing `fi`");
            }

            break;
        }

        Leave();
        return new IfCommand(branches, elseBody, []);
    }

    private ShellCommand? ParseLoop(bool until)
    {
        position += 5;
        if (!Enter())
        {
            return null;
        }

        var condition = ParseList();
        Expect("do");
        var body = ParseList();
        Expect("done");
        Leave();
        return new LoopCommand(until, condition, body, []);
    }

    private ShellCommand? ParseFor(bool select)
    {
        position += select ? 6 : 3;
        if (!Enter())
        {
            return null;
        }

        try
        {
            SkipBlanks();
            if (LooksAt("(("))
            {
                var end = FindArithmeticEnd(position + 2);
                if (end < 0)
                {
                    problems.Add("a `for ((` header is not closed");
                    position = text.Length;
                    return null;
                }

                var header = text[(position + 2)..end];
                position = end + 2;
                SkipBlanks();
                if (!AtEnd && Current == ';')
                {
                    position++;
                }

                var arithmeticBody = ParseLoopBody();
                return new ArithmeticForCommand(header, CreateNested(header).ReadExpandableText(ExpandableTextMode.HereDocument), arithmeticBody, []);
            }

            var nameWord = AtWordStart() ? ReadWord(regexMode: false) : new ShellWord([]);
            var name = nameWord.IsUnquotedLiteral && nameWord.LiteralValue is { } literal && IsIdentifier(literal) ? literal : null;
            if (name is null)
            {
                problems.Add("a `for` loop has no valid variable name");
                name = "";
            }

            SkipLineBreaks();
            List<ShellWord>? items = null;
            if (PeekBareWord() == "in")
            {
                position += 2;
                items = [];
                while (true)
                {
                    SkipBlanks();
                    if (AtEnd)
                    {
                        break;
                    }

                    if (Current == ';')
                    {
                        position++;
                        break;
                    }

                    if (Current == '\n')
                    {
                        ConsumeNewline();
                        break;
                    }

                    if (!AtWordStart())
                    {
                        problems.Add($"unexpected `{Current}` in a `for` list");
                        break;
                    }

                    items.Add(Tilde.Expand(ReadWord(regexMode: false)));
                }
            }
            else
            {
                SkipBlanks();
                if (!AtEnd && Current == ';')
                {
                    position++;
                }
            }

            return new ForCommand(name, items, select, ParseLoopBody(), []);
        }
        finally
        {
            Leave();
        }
    }

    private ShellScript ParseLoopBody()
    {
        SkipLineBreaks();
        if (PeekReservedWord() == "{")
        {
            return ParseBraceGroup() is BraceGroupCommand group ? group.Body : ShellScript.Empty;
        }

        if (!Expect("do"))
        {
            return ShellScript.Empty;
        }

        var body = ParseList();
        Expect("done");
        return body;
    }

    private ShellCommand? ParseCase()
    {
        position += 4;
        if (!Enter())
        {
            return null;
        }

        SkipBlanks();
        var subject = AtWordStart() ? ReadWord(regexMode: false) : new ShellWord([]);
        if (subject.Parts.Count == 0)
        {
            problems.Add("a `case` has no word to match");
        }

        SkipLineBreaks();
        if (PeekBareWord() == "in")
        {
            position += 2;
        }
        else
        {
            problems.Add("missing `in` after `case`");
        }

        var items = new List<CaseItem>();
        while (true)
        {
            SkipLineBreaks();
            if (AtEnd)
            {
                problems.Add("missing `esac`");
                break;
            }

            if (PeekReservedWord() == "esac")
            {
                position += 4;
                break;
            }

            if (!TryReadCasePatterns(out var patterns))
            {
                break;
            }

            var body = ParseList();
            SkipLineBreaks();
            var terminator = LooksAt(";;&") ? ";;&" : LooksAt(";;") ? ";;" : LooksAt(";&") ? ";&" : "";
            position += terminator.Length;
            items.Add(new CaseItem(patterns, body, terminator));
            if (terminator.Length == 0)
            {
                SkipLineBreaks();
                if (PeekReservedWord() == "esac")
                {
                    position += 4;
                }
                else
                {
                    problems.Add("missing `;;` or `esac`");
                }

                break;
            }
        }

        Leave();
        return new CaseCommand(subject, items, []);
    }

    private bool TryReadCasePatterns(out List<ShellWord> patterns)
    {
        patterns = [];
        if (Current == '(')
        {
            position++;
        }

        while (true)
        {
            SkipBlanks();
            if (!AtWordStart())
            {
                problems.Add("a `case` pattern is malformed");
                return false;
            }

            patterns.Add(ReadWord(regexMode: false));
            SkipBlanks();
            if (!AtEnd && Current == '|')
            {
                position++;
                continue;
            }

            if (!AtEnd && Current == ')')
            {
                position++;
                return true;
            }

            problems.Add("a `case` pattern is malformed");
            return false;
        }
    }

    private ShellCommand? ParseFunctionKeyword()
    {
        position += 8;
        SkipBlanks();
        var nameWord = AtWordStart() ? ReadWord(regexMode: false) : new ShellWord([]);
        var name = nameWord.LiteralValue;
        if (string.IsNullOrEmpty(name))
        {
            problems.Add("a `function` has no name");
            name = "";
        }

        TryConsumeFunctionParentheses();
        return ParseFunctionBody(name);
    }

    private ShellCommand? ParseBraceGroup()
    {
        position++;
        if (!Enter())
        {
            return null;
        }

        var body = ParseList();
        Expect("}");
        Leave();
        return new BraceGroupCommand(body, []);
    }

    private ShellCommand ParseSubshell()
    {
        position++;
        return new SubshellCommand(ParseListUntilCloseParen(), []);
    }

    private bool TryParseArithmeticCommand(out ShellCommand command)
    {
        command = null!;
        var end = FindArithmeticEnd(position + 2);
        if (end < 0)
        {
            return false;
        }

        var expression = text[(position + 2)..end];
        position = end + 2;
        command = new ArithmeticCommand(expression, CreateNested(expression).ReadExpandableText(ExpandableTextMode.HereDocument), []);
        return true;
    }

    private ShellCommand ParseConditional()
    {
        position += 2;
        var tokens = new List<ShellWord>();
        while (true)
        {
            SkipLineBreaks();
            if (AtEnd)
            {
                problems.Add("missing `]]`");
                break;
            }

            if (PeekBareWord() == "]]")
            {
                position += 2;
                break;
            }

            var operatorToken = LooksAt("&&") ? "&&" : LooksAt("||") ? "||" : Current is '(' or ')' or '<' or '>' ? Current.ToString() : null;
            if (operatorToken is not null)
            {
                tokens.Add(new ShellWord([new LiteralPart(operatorToken, Quoted: false)]));
                position += operatorToken.Length;
                continue;
            }

            if (!AtWordStart())
            {
                problems.Add($"unexpected `{Current}` inside `[[ ]]`");
                position++;
                continue;
            }

            var regexMode = tokens.Count > 0 && tokens[^1].IsUnquotedLiteral && tokens[^1].LiteralValue == "=~";
            tokens.Add(ReadWord(regexMode));
        }

        return new ConditionalCommand(tokens, []);
    }

    private ShellCommand? ParseCoprocess()
    {
        position += 6;
        SkipBlanks();
        string? name = null;
        var saved = position;
        if (PeekReservedWord() is null && PeekBareWord() is { } candidate && IsIdentifier(candidate))
        {
            position += candidate.Length;
            SkipBlanks();
            if (PeekReservedWord() is "{" or "while" or "until" or "if" or "for" or "case" or "select" or "[["
                || (!AtEnd && Current == '('))
            {
                name = candidate;
            }
            else
            {
                position = saved;
            }
        }

        var body = ParseCommand();
        if (body is null)
        {
            problems.Add("`coproc` has no command");
            return null;
        }

        return new CoprocessCommand(name, body, []);
    }
}
