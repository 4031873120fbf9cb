using System.Globalization;
using System.Text;
using DuckWorker.Policy.Rules;
using DuckWorker.Policy.Syntax;

namespace DuckWorker.Policy.Judging;

/// <summary>
/// Expands words the way bash would, as far as the policy can know: tilde, parameters (from what the command
/// line itself assigned, else unknown), knowable command output, brace expansion, word splitting and globs.
/// A word yields alternatives, one per combination of possible values, each a list of fields. Unknowns stay
/// marked with <see cref="Sentinel"/> characters; nothing unknown is ever guessed to be harmless.
/// </summary>
internal sealed class WordExpander(ShellState state)
{
    public const int MaximumAlternatives = 16;

    private const string DefaultSeparators = " \t\n";

    /// <summary>True once some expansion had more possibilities than the policy follows.</summary>
    public bool Truncated { get; private set; }

    /// <summary>All arguments of a command, as alternatives of the whole argument list.</summary>
    public List<List<Field>> ExpandArguments(IReadOnlyList<ShellWord> words)
    {
        var alternatives = new List<List<Field>> { new() };
        foreach (var word in words)
        {
            var choices = Expand(word);
            var next = new List<List<Field>>();
            foreach (var prefix in alternatives)
            {
                foreach (var choice in choices)
                {
                    if (next.Count >= MaximumAlternatives * 2)
                    {
                        Truncated = true;
                        break;
                    }

                    next.Add([.. prefix, .. choice]);
                }
            }

            alternatives = next;
        }

        return alternatives;
    }

    /// <summary>One word, as alternatives, each the fields it splits into.</summary>
    public List<List<Field>> Expand(ShellWord word)
    {
        if (word.Parts is [ProcessSubstitutionPart process] && LiteralOutput.Of(process.Body) is { } content)
        {
            return [[new Field("/dev/fd/63", FieldOrigin.ProcessSubstitution, content)]];
        }

        var results = new List<List<Field>>();
        foreach (var (text, origin) in Combine(word, splitting: true))
        {
            var fields = new List<Field>();
            foreach (var braced in BraceExpansion.Expand(text))
            {
                foreach (var piece in braced.Split(Sentinel.FieldBreak))
                {
                    if (piece.Length > 0 || (word.HasQuoting && !braced.Contains(Sentinel.FieldBreak)))
                    {
                        fields.Add(new Field(Finish(piece), origin));
                    }
                }
            }

            results.Add(fields);
        }

        return results;
    }

    /// <summary>The possible values of a word where bash neither splits nor globs (assignments, here-strings).</summary>
    public List<(string Text, FieldOrigin Origin)> ExpandWithoutSplitting(ShellWord word) =>
        Combine(word, splitting: false).Select(candidate => (Finish(candidate.Text), candidate.Origin)).ToList();

    private List<(string Text, FieldOrigin Origin)> Combine(ShellWord word, bool splitting)
    {
        var combinations = new List<(string Text, FieldOrigin Origin)> { ("", FieldOrigin.Literal) };
        foreach (var part in word.Parts)
        {
            var candidates = PartCandidates(part, splitting);
            var next = new List<(string Text, FieldOrigin Origin)>();
            foreach (var (prefix, prefixOrigin) in combinations)
            {
                foreach (var (text, origin) in candidates)
                {
                    if (next.Count >= MaximumAlternatives)
                    {
                        Truncated = true;
                        break;
                    }

                    next.Add((prefix + text, prefixOrigin | origin));
                }
            }

            combinations = next;
        }

        return combinations;
    }

    private List<(string Text, FieldOrigin Origin)> PartCandidates(WordPart part, bool splitting)
    {
        switch (part)
        {
            case LiteralPart literal:
                return [(literal.Quoted || !splitting ? Sanitize(literal.Text) : MarkPatterns(Sanitize(literal.Text), braces: true), FieldOrigin.Literal)];
            case TildePart tilde:
                return Tilde(tilde.User);
            case ParameterPart parameter:
                return ParameterValues(parameter)
                    .Select(value => (parameter.Quoted || !splitting ? value.Text : Split(value.Text), value.Origin | FieldOrigin.Expansion))
                    .ToList();
            case CommandSubstitutionPart substitution:
                var origin = FieldOrigin.CommandOutput | (ScriptTraits.FetchesOrDecodes(substitution.Body) ? FieldOrigin.Download : 0);
                if (PathListing.IsWorkingDirectory(substitution.Body))
                {
                    return Directories().Select(directory => (directory.Text, origin)).ToList();
                }

                var output = LiteralOutput.Of(substitution.Body);
                if (output is null && PathListing.Roots(substitution.Body) is { } roots)
                {
                    // Paths found under known roots: a pattern under each root, never an unknown anywhere.
                    var separator = substitution.Quoted ? "\n" : Sentinel.FieldBreak.ToString();
                    return [(string.Join(separator, roots.Select(root => Sanitize(root) + "/" + Sentinel.Star)), origin)];
                }

                var value = output is null ? Sentinel.Unknown.ToString() : Sanitize(output);
                return [(substitution.Quoted || !splitting ? value : Split(value), origin)];
            case ProcessSubstitutionPart process:
                return [("/dev/fd/63", FieldOrigin.ProcessSubstitution | (ScriptTraits.FetchesOrDecodes(process.Body) ? FieldOrigin.Download : 0))];
            default:
                return [(Sentinel.Unknown.ToString(), FieldOrigin.Literal)];
        }
    }

    private List<(string Text, FieldOrigin Origin)> Tilde(string user) => user switch
    {
        "" => [(Sentinel.Home.ToString(), FieldOrigin.Literal)],
        "+" => Directories(),
        "-" => [(Sentinel.Unknown.ToString(), FieldOrigin.Literal)],
        "root" => [("/root", FieldOrigin.Literal)],
        _ => [("/home/" + user, FieldOrigin.Literal)],
    };

    private List<(string Text, FieldOrigin Origin)> Directories() =>
        state.Directories is null
            ? [(Sentinel.Unknown.ToString(), FieldOrigin.Literal)]
            : state.Directories.Select(directory => (directory, FieldOrigin.Literal)).ToList();

    private List<(string Text, FieldOrigin Origin)> ParameterValues(ParameterPart parameter)
    {
        if (parameter.Length || parameter.Indirect)
        {
            return [(Sentinel.Unknown.ToString(), FieldOrigin.Literal)];
        }

        var values = BaseValues(parameter.Name);
        var operand = parameter.Operand is null ? [("", FieldOrigin.Literal)] : ExpandWithoutSplitting(parameter.Operand);
        switch (parameter.Operator)
        {
            case "":
            case ":?":
            case "?":
                return values;
            case ":-":
            case "-":
            case ":=":
            case "=":
                return [.. values, .. operand];
            case ":+":
            case "+":
                return [("", FieldOrigin.Literal), .. operand];
            case ":" when parameter.Operand?.LiteralValue is { } range:
                return values.Select(value => (Substring(value.Text, range), value.Origin)).ToList();
            default:
                return [(Sentinel.Unknown.ToString(), values.Aggregate(FieldOrigin.Literal, (all, value) => all | value.Origin))];
        }
    }

    private List<(string Text, FieldOrigin Origin)> BaseValues(string name)
    {
        if (state.Variables.TryGetValue(name, out var known))
        {
            return known.Candidates.Select(candidate => (candidate, known.Origin)).ToList();
        }

        return name switch
        {
            "HOME" => [(Sentinel.Home.ToString(), FieldOrigin.Literal)],
            "PWD" => Directories(),
            "IFS" => [(DefaultSeparators, FieldOrigin.Literal)],
            _ => [(Sentinel.Unknown.ToString(), FieldOrigin.Literal)],
        };
    }

    /// <summary><c>${X:offset:length}</c> on a known value; anything unusual is unknown.</summary>
    private static string Substring(string value, string range)
    {
        var pieces = range.Split(':');
        if (value.Any(Sentinel.IsSentinel) || pieces.Length > 2
            || !int.TryParse(pieces[0].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var offset))
        {
            return Sentinel.Unknown.ToString();
        }

        if (offset < 0)
        {
            offset = Math.Max(0, value.Length + offset);
        }

        offset = Math.Min(offset, value.Length);
        var length = value.Length - offset;
        if (pieces.Length == 2)
        {
            if (!int.TryParse(pieces[1].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out length))
            {
                return Sentinel.Unknown.ToString();
            }

            length = length < 0 ? Math.Max(0, value.Length - offset + length) : Math.Min(length, value.Length - offset);
        }

        return value.Substring(offset, length);
    }

    /// <summary>Unquoted expansion results are split into fields and globbed.</summary>
    private static string Split(string value)
    {
        var split = new StringBuilder(value.Length);
        foreach (var character in value)
        {
            split.Append(DefaultSeparators.Contains(character) ? Sentinel.FieldBreak : character);
        }

        return MarkPatterns(split.ToString(), braces: false);
    }

    private static string MarkPatterns(string text, bool braces)
    {
        var marked = new StringBuilder(text.Length);
        foreach (var character in text)
        {
            marked.Append(character switch
            {
                '*' => Sentinel.Star,
                '?' => Sentinel.Question,
                '[' => Sentinel.BracketOpen,
                '{' when braces => Sentinel.BraceOpen,
                ',' when braces => Sentinel.BraceComma,
                '}' when braces => Sentinel.BraceClose,
                _ => character,
            });
        }

        return marked.ToString();
    }

    private static string Sanitize(string text) =>
        text.Any(Sentinel.IsSentinel) ? new string(text.Select(character => Sentinel.IsSentinel(character) ? Sentinel.Unknown : character).ToArray()) : text;

    /// <summary>Undoes the marks that did not turn out to mean anything: unmatched brackets and unused braces.</summary>
    private static string Finish(string text)
    {
        if (!text.Any(Sentinel.IsSentinel))
        {
            return text;
        }

        var finished = new StringBuilder(text.Length);
        for (var index = 0; index < text.Length; index++)
        {
            var character = text[index];
            finished.Append(character switch
            {
                Sentinel.BracketOpen when text.IndexOf(']', index) < 0 => '[',
                Sentinel.BraceOpen => '{',
                Sentinel.BraceComma => ',',
                Sentinel.BraceClose => '}',
                _ => character,
            });
        }

        return finished.ToString();
    }
}
