using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>
/// A command that only reads. Its operands are read paths, except <paramref name="PatternOperands"/> leading
/// operands (a grep pattern, a sed script) unless one of <paramref name="PatternOptions"/> supplied them.
/// <paramref name="Metadata"/> commands read names and sizes, not contents, so a secret location only needs
/// approval. <paramref name="DefaultsToDirectory"/> tells when, without operands, it reads the working
/// directory. <paramref name="Extra"/> catches the options that make it more than a reader.
/// </summary>
internal sealed record ReadOnlyCommand(
    CommandSyntax Syntax,
    int PatternOperands = 0,
    string[]? PatternOptions = null,
    string[]? FileOptions = null,
    bool NoFiles = false,
    bool Metadata = false,
    Func<ParsedArguments, bool>? DefaultsToDirectory = null,
    Action<Invocation, ParsedArguments>? Extra = null)
{
    public void Judge(Invocation invocation)
    {
        var arguments = invocation.Parse(Syntax);
        var context = invocation.Context;
        if (!NoFiles)
        {
            if (arguments.Uncertain)
            {
                invocation.Report(Verdict.Uncertain("has arguments an expansion decides, which could be options or files"));
            }

            var patterns = PatternOptions is not null && arguments.Has(PatternOptions) ? 0 : PatternOperands;
            var files = arguments.Operands.Skip(patterns).Where(field => field.Text != "-").ToList();
            foreach (var file in files)
            {
                PathChecks.Read(context, file, Metadata);
            }

            foreach (var file in arguments.Values(FileOptions ?? []))
            {
                PathChecks.Read(context, file);
            }

            if (files.Count == 0 && DefaultsToDirectory?.Invoke(arguments) == true)
            {
                PathChecks.Read(context, new Field("."), Metadata);
            }

            PathChecks.Secrets(context, arguments.Options.Where(option => option.Value is not null).Select(option => option.Value!));
        }

        Extra?.Invoke(invocation, arguments);
        invocation.Report(Verdict.ReadsOnly("only reads"));
    }
}
