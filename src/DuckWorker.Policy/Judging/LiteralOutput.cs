using System.Text;
using DuckWorker.Policy.Syntax;

namespace DuckWorker.Policy.Judging;

/// <summary>
/// The output of a command substitution when it is plainly knowable: <c>$(echo rm)</c> or <c>$(printf x)</c>
/// with literal arguments. It lets the policy see through <c>$(echo rm) -rf /</c>.
/// </summary>
internal static class LiteralOutput
{
    public static string? Of(ShellScript script)
    {
        if (script.Items is not [{ Chain.Pipelines: [{ Commands: [SimpleCommand { Assignments.Count: 0, Redirections.Count: 0 } command] }] }])
        {
            return null;
        }

        var values = command.Words.Select(word => word.LiteralValue).ToList();
        if (values.Count == 0 || values.Any(value => value is null))
        {
            return null;
        }

        var arguments = values.Skip(1).Select(value => value!).ToList();
        return values[0] switch
        {
            "echo" => Echo(arguments),
            "printf" => Printf(arguments),
            "which" or "command" or "type" => Locate(arguments),
            _ => null,
        };
    }

    /// <summary><c>which rm</c>, <c>command -v rm</c>, <c>type -P rm</c>: the program's path, as far as the name goes.</summary>
    private static string? Locate(List<string> arguments)
    {
        var names = arguments.Where(argument => !argument.StartsWith('-')).ToList();
        return names.Count == 1 && !names[0].Contains('/') ? "/usr/bin/" + names[0] : null;
    }

    private static string? Echo(List<string> arguments)
    {
        var index = 0;
        var escapes = false;
        while (index < arguments.Count && arguments[index].Length > 1 && arguments[index][0] == '-' && arguments[index][1..].All(flag => flag is 'n' or 'e' or 'E'))
        {
            escapes = arguments[index].Contains('e');
            index++;
        }

        var text = string.Join(' ', arguments.Skip(index));
        return (escapes ? Unescape(text) : text)?.TrimEnd('\n');
    }

    /// <summary><c>printf</c> with a format of plain text, escapes and <c>%s</c> only: the format is reused for extra arguments.</summary>
    private static string? Printf(List<string> arguments)
    {
        if (arguments.Count == 0)
        {
            return null;
        }

        var pieces = arguments[0].Replace("%%", "\\x25", StringComparison.Ordinal).Split("%s");
        if (pieces.Any(piece => piece.Contains('%')))
        {
            return null;
        }

        var values = arguments.Skip(1).ToList();
        var slots = pieces.Length - 1;
        var output = new StringBuilder();
        var next = 0;
        do
        {
            for (var piece = 0; piece < pieces.Length; piece++)
            {
                if (Unescape(pieces[piece]) is not { } text)
                {
                    return null;
                }

                output.Append(text);
                if (piece < slots)
                {
                    output.Append(next < values.Count ? values[next++] : "");
                }
            }
        }
        while (slots > 0 && next < values.Count);

        return output.ToString().TrimEnd('\n');
    }

    /// <summary>The backslash escapes of <c>printf</c> and <c>echo -e</c>; null at <c>\c</c>, which cuts the output short.</summary>
    private static string? Unescape(string text)
    {
        var output = new StringBuilder(text.Length);
        for (var index = 0; index < text.Length; index++)
        {
            if (text[index] != '\\' || index + 1 >= text.Length)
            {
                output.Append(text[index]);
                continue;
            }

            var escape = text[++index];
            switch (escape)
            {
                case 'n': output.Append('\n'); break;
                case 't': output.Append('\t'); break;
                case 'r': output.Append('\r'); break;
                case 'a': output.Append('\a'); break;
                case 'b': output.Append('\b'); break;
                case 'f': output.Append('\f'); break;
                case 'v': output.Append('\v'); break;
                case 'e' or 'E': output.Append('\u001b'); break;
                case '\\': output.Append('\\'); break;
                case 'c': return null;
                case 'x' or 'u' or 'U':
                    var width = escape == 'x' ? 2 : escape == 'u' ? 4 : 8;
                    var digits = new string(text.Skip(index + 1).Take(width).TakeWhile(char.IsAsciiHexDigit).ToArray());
                    if (digits.Length == 0 || Convert.ToInt32(digits, 16) is var code && code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF)
                    {
                        return null;
                    }

                    output.Append(char.ConvertFromUtf32(code));
                    index += digits.Length;
                    break;
                case >= '0' and <= '7':
                    var octal = new string(text.Skip(escape == '0' ? index + 1 : index).Take(3).TakeWhile(digit => digit is >= '0' and <= '7').ToArray());
                    output.Append((char)(octal.Length == 0 ? 0 : Convert.ToInt32(octal, 8) & 0xFF));
                    index += escape == '0' ? octal.Length : octal.Length - 1;
                    break;
                default:
                    output.Append('\\').Append(escape);
                    break;
            }
        }

        return output.ToString();
    }
}
