namespace DuckWorker.Policy.Rules;

/// <summary>
/// Which options of a command take a value, so that values are not mistaken for operands (and operands not
/// for values). <paramref name="StopAtFirstOperand"/> is for commands that run another command: everything
/// after their first operand belongs to that command.
/// </summary>
internal sealed record CommandSyntax(string ShortWithValue, IReadOnlySet<string> LongWithValue, bool StopAtFirstOperand = false)
{
    public static CommandSyntax Plain { get; } = new("", new HashSet<string>());

    public static CommandSyntax Of(string shortWithValue, params string[] longWithValue) => new(shortWithValue, longWithValue.ToHashSet());

    public CommandSyntax StoppingAtFirstOperand() => this with { StopAtFirstOperand = true };
}
