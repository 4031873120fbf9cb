namespace DuckWorker.Cli.WebConsole.Inbox;

/// <summary>
/// A unified diff of two texts, line by line (as <c>diff -u</c> shows it): hunks headed <c>@@ -a,b +c,d @@</c>,
/// each line prefixed with a space, <c>-</c> or <c>+</c>.
/// </summary>
internal static class UnifiedDiff
{
    /// <summary>Beyond this many cells the comparison table would cost too much memory; no diff is shown.</summary>
    private const long MaxCells = 4_000_000;

    /// <summary>The diff's lines; empty when the texts are equal, null when they are too large to compare.</summary>
    public static IReadOnlyList<string>? Of(string before, string after, int context = 3)
    {
        var a = Lines(before);
        var b = Lines(after);
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }

        var n = a.Length - prefix - suffix;
        var m = b.Length - prefix - suffix;
        if ((long)(n + 1) * (m + 1) > MaxCells)
        {
            return null;
        }

        // Longest common subsequence of the differing middle, from the end, so the walk below goes forwards.
        var common = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                common[i, j] = a[prefix + i] == b[prefix + j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var edits = new List<(char Kind, string Text)>(a.Length + m);
        edits.AddRange(a[..prefix].Select(line => (' ', line)));
        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[prefix + x] == b[prefix + y])
            {
                edits.Add((' ', a[prefix + x]));
                x++;
                y++;
            }
            else if (x < n && (y == m || common[x + 1, y] >= common[x, y + 1]))
            {
                edits.Add(('-', a[prefix + x++]));
            }
            else
            {
                edits.Add(('+', b[prefix + y++]));
            }
        }

        edits.AddRange(a[(a.Length - suffix)..].Select(line => (' ', line)));
        return Hunks(edits, context);
    }

    private static List<string> Hunks(List<(char Kind, string Text)> edits, int context)
    {
        var lines = new List<string>();
        var index = 0;
        int oldLine = 1, newLine = 1;
        while (index < edits.Count)
        {
            var change = edits.FindIndex(index, e => e.Kind != ' ');
            if (change < 0)
            {
                break;
            }

            var start = Math.Max(index, change - context);
            oldLine += start - index;
            newLine += start - index;

            // The hunk runs until more than twice the context of unchanged lines follow a change.
            var end = change;
            for (var i = change; i < edits.Count; i++)
            {
                if (edits[i].Kind != ' ')
                {
                    end = i;
                }
                else if (i - end > 2 * context)
                {
                    break;
                }
            }

            var stop = Math.Min(edits.Count, end + context + 1);
            var hunk = edits.GetRange(start, stop - start);
            var oldCount = hunk.Count(e => e.Kind != '+');
            var newCount = hunk.Count(e => e.Kind != '-');
            lines.Add($"@@ -{(oldCount == 0 ? oldLine - 1 : oldLine)},{oldCount} +{(newCount == 0 ? newLine - 1 : newLine)},{newCount} @@");
            lines.AddRange(hunk.Select(e => $"{e.Kind}{e.Text}"));
            oldLine += oldCount;
            newLine += newCount;
            index = stop;
        }

        return lines;
    }

    private static string[] Lines(string text)
    {
        var unix = text.ReplaceLineEndings("\n");
        unix = unix.EndsWith('\n') ? unix[..^1] : unix;
        return text.Length == 0 ? [] : unix.Split('\n');
    }
}
