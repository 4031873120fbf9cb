using System.CommandLine;
using System.Text.Json;
using DuckWorker.Policy;

namespace DuckWorker.Cli.Commands;

/// <summary><c>duck policy check '&lt;command line&gt;' [--workspace DIR] [--json]</c>: what the command policy decides, and why.</summary>
internal static class PolicyCommand
{
    public static Command Create(TextWriter output)
    {
        var commandLine = new Argument<string>("command-line") { Description = "The shell command line to judge, quoted as one argument." };
        var workspace = new Option<DirectoryInfo>("--workspace")
        {
            Description = "The workspace the command would run in (default: the current directory).",
            DefaultValueFactory = _ => new DirectoryInfo(Environment.CurrentDirectory),
        };
        var json = new Option<bool>("--json") { Description = "Print {\"decision\", \"actionType\", \"riskLevel\", \"reason\"} as JSON." };
        var check = new Command("check", "Show what the command policy decides for a command line: run, approve or block.") { commandLine, workspace, json };
        check.SetAction(parse =>
        {
            var assessment = new CommandPolicy().Evaluate(parse.GetValue(commandLine)!, Path.GetFullPath(parse.GetValue(workspace)!.FullName));
            output.WriteLine(parse.GetValue(json) ? Json(assessment) : Text(assessment));
            return 0;
        });

        return new Command("policy", "The shell command policy.") { check };
    }

    private static string Json(CommandAssessment assessment) => JsonSerializer.Serialize(new
    {
        decision = assessment.Decision.ToWire(),
        actionType = assessment.ActionType.ToWire(),
        riskLevel = assessment.RiskLevel.ToWire(),
        reason = assessment.Reason,
    });

    private static string Text(CommandAssessment assessment) =>
        $"{assessment.Decision.ToWire()}: {assessment.Reason}\n  action type: {assessment.ActionType.ToWire()}, risk: {assessment.RiskLevel.ToWire()}\n  normalized:  {assessment.NormalizedCommand}";
}
