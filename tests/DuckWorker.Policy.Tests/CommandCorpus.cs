

namespace DuckWorker.Policy.Tests;

/// <summary>
/// Reads <c>command-corpus.txt</c>: one case a line, <c>decision&lt;TAB&gt;command</c>, <c>#</c> comments,
/// <c>⏎</c> for a newline inside a command.
/// </summary>
internal static class CommandCorpus
{
    public const string Workspace = "/var/lib/duck/ws";

    public const char NewlineMarker = '⏎';

    public static IReadOnlyList<(string Decision, string Command)> Cases { get; } = Load();

    private static List<(string Decision, string Command)> Load()
    {
        var path = Path.Join(AppContext.BaseDirectory, "command-corpus.txt");
        var cases = new List<(string, string)>();
        foreach (var (line, number) in File.ReadAllLines(path).Select((line, index) => (line, index + 1)))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var tab = line.IndexOf('\t');
            if (tab <= 0)
            {
                throw new InvalidDataException($"command-corpus.txt line {number} has no tab between decision and command.");
            }

            cases.Add((line[..tab], line[(tab + 1)..]));
        }

        return cases;
    }

    public static string ToCommandLine(string corpusCommand) => corpusCommand.Replace(NewlineMarker, '\n');
}
