using DuckWorker.Policy.Rules;

namespace DuckWorker.Policy.Judging;

/// <summary>
/// A command's arguments split getopt-style into options and operands. An argument whose text is unknown
/// where an option could stand makes <see cref="Uncertain"/> true: it could be any option.
/// </summary>
internal sealed class ParsedArguments
{
    private ParsedArguments(List<ParsedOption> options, List<Field> operands, bool uncertain)
    {
        Options = options;
        Operands = operands;
        Uncertain = uncertain;
    }

    public IReadOnlyList<ParsedOption> Options { get; }

    public IReadOnlyList<Field> Operands { get; }

    public bool Uncertain { get; }

    public static ParsedArguments Parse(IReadOnlyList<Field> arguments, int start, CommandSyntax syntax)
    {
        var options = new List<ParsedOption>();
        var operands = new List<Field>();
        var uncertain = false;
        var optionsEnded = false;
        for (var index = start; index < arguments.Count; index++)
        {
            var field = arguments[index];
            var text = field.Text;
            if (optionsEnded || text.Length < 2 || text[0] != '-')
            {
                uncertain |= !optionsEnded && text.Length > 0 && text[0] == Sentinel.Unknown;
                operands.Add(field);
                optionsEnded |= syntax.StopAtFirstOperand;
                continue;
            }

            if (text == "--")
            {
                optionsEnded = true;
                continue;
            }

            if (text.StartsWith("--", StringComparison.Ordinal))
            {
                var equals = text.IndexOf('=');
                if (equals > 0)
                {
                    options.Add(new ParsedOption(text[..equals], field with { Text = text[(equals + 1)..] }));
                }
                else if (syntax.LongWithValue.Contains(text) && index + 1 < arguments.Count)
                {
                    options.Add(new ParsedOption(text, arguments[++index]));
                }
                else
                {
                    options.Add(new ParsedOption(text, null));
                }

                continue;
            }

            for (var letter = 1; letter < text.Length; letter++)
            {
                var name = text[letter].ToString();
                if (!syntax.ShortWithValue.Contains(text[letter]))
                {
                    options.Add(new ParsedOption(name, null));
                    continue;
                }

                if (letter + 1 < text.Length)
                {
                    options.Add(new ParsedOption(name, field with { Text = text[(letter + 1)..] }));
                }
                else if (index + 1 < arguments.Count)
                {
                    options.Add(new ParsedOption(name, arguments[++index]));
                }
                else
                {
                    options.Add(new ParsedOption(name, null));
                }

                break;
            }
        }

        return new ParsedArguments(options, operands, uncertain);
    }

    /// <summary>True when any of the given option names (<c>"r"</c>, <c>"--recursive"</c>) is present.</summary>
    public bool Has(params string[] names) => Options.Any(option => names.Contains(option.Name));

    public IEnumerable<Field> Values(params string[] names) =>
        Options.Where(option => names.Contains(option.Name) && option.Value is not null).Select(option => option.Value!);
}
