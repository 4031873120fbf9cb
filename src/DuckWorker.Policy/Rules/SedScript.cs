namespace DuckWorker.Policy.Rules;

/// <summary>
/// Reads a sed script far enough to find the commands that go beyond editing a stream: <c>e</c> (runs a
/// command), <c>w</c>/<c>W</c> (writes a file), <c>r</c>/<c>R</c> (reads a file) and the <c>e</c>/<c>w</c>
/// flags of <c>s</c>. Anything it cannot read counts as such a command. Each is reported with its argument (the
/// command line or the file name, which run to the end of the line), so the command can be judged and the file checked.
/// </summary>
internal static class SedScript
{
    /// <summary>An effect beyond editing the stream: its sed command (<c>e</c>, <c>w</c>, <c>r</c>…; <c>?</c> for text that could not be read) and argument.</summary>
    public readonly record struct Effect(char Command, string Argument);

    public static bool RunsOrTouchesFiles(string script) => Effects(script).Any();

    public static IEnumerable<Effect> Effects(string script)
    {
        var index = 0;
        while (index < script.Length)
        {
            var character = script[index];
            if (char.IsWhiteSpace(character) || character is ';' or '{' or '}' or '!')
            {
                index++;
                continue;
            }

            if (character == '#')
            {
                index = LineEnd(script, index);
                continue;
            }

            if (!TrySkipAddress(script, ref index))
            {
                yield return new Effect('?', "");
                yield break;
            }

            if (index >= script.Length)
            {
                yield break;
            }

            var command = script[index++];
            switch (command)
            {
                case 'e' or 'w' or 'W' or 'r' or 'R':
                    var end = script.IndexOf('\n', index);
                    yield return new Effect(command, script[index..(end < 0 ? script.Length : end)].Trim());
                    index = end < 0 ? script.Length : end + 1;
                    break;
                case 'F' or 'v':
                    break;
                case 's':
                    if (!TrySkipDelimited(script, ref index, parts: 2))
                    {
                        yield return new Effect('?', "");
                        yield break;
                    }

                    while (index < script.Length && (char.IsAsciiLetterOrDigit(script[index]) || script[index] is 'g' or 'p' or 'I' or 'i' or 'm' or 'M'))
                    {
                        if (script[index] is 'w' or 'W')
                        {
                            var fileEnd = script.IndexOf('\n', index);
                            yield return new Effect('w', script[(index + 1)..(fileEnd < 0 ? script.Length : fileEnd)].Trim());
                            index = fileEnd < 0 ? script.Length : fileEnd;
                            break;
                        }

                        if (script[index] == 'e')
                        {
                            // The command is the pattern space after the substitution: the policy cannot know it.
                            yield return new Effect('e', "");
                        }

                        index++;
                    }

                    break;
                case 'y':
                    if (!TrySkipDelimited(script, ref index, parts: 2))
                    {
                        yield return new Effect('?', "");
                        yield break;
                    }

                    break;
                case 'a' or 'i' or 'c':
                    index = LineEnd(script, index);
                    break;
                case ':' or 'b' or 't' or 'T':
                    while (index < script.Length && script[index] is not (';' or '\n'))
                    {
                        index++;
                    }

                    break;
                case 'q' or 'Q' or 'l' or 'L':
                    while (index < script.Length && (char.IsAsciiDigit(script[index]) || script[index] == ' '))
                    {
                        index++;
                    }

                    break;
                case '=' or 'd' or 'D' or 'g' or 'G' or 'h' or 'H' or 'n' or 'N' or 'p' or 'P' or 'x' or 'z':
                    break;
                default:
                    yield return new Effect('?', "");
                    yield break;
            }
        }
    }

    private static int LineEnd(string script, int index)
    {
        var end = script.IndexOf('\n', index);
        return end < 0 ? script.Length : end + 1;
    }

    private static bool TrySkipAddress(string script, ref int index)
    {
        for (var part = 0; part < 2; part++)
        {
            if (index >= script.Length)
            {
                return true;
            }

            var character = script[index];
            if (char.IsAsciiDigit(character))
            {
                while (index < script.Length && (char.IsAsciiDigit(script[index]) || script[index] == '~'))
                {
                    index++;
                }
            }
            else if (character == '$')
            {
                index++;
            }
            else if (character == '/' || character == '\\')
            {
                if (character == '\\')
                {
                    index++;
                }

                if (!TrySkipDelimited(script, ref index, parts: 1))
                {
                    return false;
                }

                while (index < script.Length && script[index] is 'I' or 'M')
                {
                    index++;
                }
            }
            else if (part == 1 && character is '+' or '~')
            {
                index++;
                while (index < script.Length && char.IsAsciiDigit(script[index]))
                {
                    index++;
                }
            }
            else
            {
                return true;
            }

            while (index < script.Length && script[index] == ' ')
            {
                index++;
            }

            if (index >= script.Length || script[index] != ',')
            {
                return true;
            }

            index++;
        }

        return true;
    }

    /// <summary>Skips <paramref name="parts"/> sections delimited by the character at <paramref name="index"/>.</summary>
    private static bool TrySkipDelimited(string script, ref int index, int parts)
    {
        if (index >= script.Length || script[index] is '\n' or '\\')
        {
            return false;
        }

        var delimiter = script[index++];
        for (var part = 0; part < parts; part++)
        {
            while (index < script.Length && script[index] != delimiter)
            {
                index += script[index] == '\\' ? 2 : 1;
            }

            if (index >= script.Length)
            {
                return false;
            }

            index++;
        }

        return true;
    }
}
