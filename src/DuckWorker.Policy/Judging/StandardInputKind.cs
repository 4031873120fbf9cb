namespace DuckWorker.Policy.Judging;

/// <summary>Where a command's standard input comes from.</summary>
internal enum StandardInputKind
{
    /// <summary>The worker's own input: nothing the command line provides.</summary>
    Inherited,

    /// <summary>The previous command of a pipeline.</summary>
    Pipe,

    /// <summary>A here-document or here-string.</summary>
    InlineText,

    /// <summary>A file redirected with <c>&lt;</c>.</summary>
    File,
}
