using System.Text;

namespace DuckWorker.Policy.Syntax;

/// <summary>Character-level helpers: blanks, comments, newlines and the here-document bodies that follow them.</summary>
internal sealed partial class ShellParser
{
    private static bool IsBlank(char character) => character is ' ' or '\t';

    private static bool IsMetaCharacter(char character) =>
        character is ' ' or '\t' or '\n' or ';' or '&' or '|' or '(' or ')' or '<' or '>';

    private bool IsDelimiterAt(int index) => index >= text.Length || IsMetaCharacter(text[index]);

    private bool LooksAt(string token) =>
        position + token.Length <= text.Length && text.AsSpan(position, token.Length).SequenceEqual(token);

    private bool AtWordStart() => !AtEnd
        && (!IsMetaCharacter(Current) || ((Current is '<' or '>') && position + 1 < text.Length && text[position + 1] == '('));

    /// <summary>Skips blanks, escaped newlines and a comment, stopping before a newline.</summary>
    private void SkipBlanks()
    {
        while (!AtEnd)
        {
            if (IsBlank(Current))
            {
                position++;
            }
            else if (Current == '\\' && position + 1 < text.Length && text[position + 1] == '\n')
            {
                position += 2;
            }
            else if (Current == '#')
            {
                var end = text.IndexOf('\n', position);
                position = end < 0 ? text.Length : end;
            }
            else
            {
                return;
            }
        }
    }

    private void SkipLineBreaks()
    {
        while (true)
        {
            SkipBlanks();
            if (AtEnd || Current != '\n')
            {
                return;
            }

            ConsumeNewline();
        }
    }

    private void ConsumeNewline()
    {
        position++;
        ReadPendingHereDocuments();
    }

    private void ReadPendingHereDocuments()
    {
        foreach (var (document, stripTabs) in pendingHereDocuments)
        {
            var body = new StringBuilder();
            var terminated = false;
            while (!AtEnd)
            {
                var lineEnd = text.IndexOf('\n', position);
                var line = lineEnd < 0 ? text[position..] : text[position..lineEnd];
                position = lineEnd < 0 ? text.Length : lineEnd + 1;
                if (stripTabs)
                {
                    line = line.TrimStart('\t');
                }

                if (line == document.Delimiter)
                {
                    terminated = true;
                    break;
                }

                body.Append(line).Append('\n');
            }

            if (!terminated)
            {
                problems.Add($"here-document `{document.Delimiter}` is not terminated");
            }

            document.Body = body.ToString();
            if (!document.QuotedDelimiter)
            {
                document.Expansion = CreateNested(document.Body).ReadExpandableText(ExpandableTextMode.HereDocument);
            }
        }

        pendingHereDocuments.Clear();
    }

    /// <summary>
    /// The reserved word at the current position, if the next characters spell one and end at a delimiter:
    /// <c>{a,b}</c> or <c>if''</c> are ordinary words.
    /// </summary>
    private string? PeekReservedWord()
    {
        var word = PeekBareWord();
        return word is not null && ReservedWords.Contains(word) ? word : null;
    }

    /// <summary>The plain unquoted word at the current position, if it ends at a delimiter.</summary>
    private string? PeekBareWord()
    {
        var end = position;
        while (end < text.Length && !IsMetaCharacter(text[end]) && text[end] is not ('\'' or '"' or '\\' or '$' or '`'))
        {
            end++;
        }

        if (end == position || !IsDelimiterAt(end))
        {
            return null;
        }

        return text[position..end];
    }
}
