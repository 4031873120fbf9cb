using System.Text;
using System.Text.RegularExpressions;

namespace DuckWorker.Policy.Judging;

/// <summary>
/// Turns expanded text with glob sentinels into a regular expression over paths: <c>*</c> and <c>?</c> stay within a
/// segment, a bracket matches any one character (its contents only narrow it, and wider is the safe side), and an
/// unknown part matches anything.
/// </summary>
internal static class GlobPattern
{
    public static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var index = 0; index < pattern.Length; index++)
        {
            switch (pattern[index])
            {
                case Sentinel.Star:
                    regex.Append("[^/]*");
                    break;
                case Sentinel.Question:
                    regex.Append("[^/]");
                    break;
                case Sentinel.BracketOpen:
                    var close = pattern.IndexOf(']', index);
                    index = close < 0 ? index : close;
                    regex.Append("[^/]");
                    break;
                case Sentinel.Unknown:
                    regex.Append(".*");
                    break;
                default:
                    regex.Append(Regex.Escape(pattern[index].ToString()));
                    break;
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
