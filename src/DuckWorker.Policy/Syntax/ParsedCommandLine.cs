namespace DuckWorker.Policy.Syntax;

/// <summary>The parse of a command line and every problem met on the way; any problem means the parse is uncertain.</summary>
internal sealed record ParsedCommandLine(ShellScript Script, IReadOnlyList<string> Problems);
