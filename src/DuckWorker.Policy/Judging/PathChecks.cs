using DuckWorker.Policy.Rules;

namespace DuckWorker.Policy.Judging;

/// <summary>
/// The judgements about path arguments, shared by every rule. Reading: secrets are blocked, anything else
/// outside the workspace needs approval. Writing or deleting: anything outside the workspace is blocked.
/// A path an expansion decides needs approval at least; a recursive delete of a path that could be anywhere
/// (it starts with an expansion, <c>rm -rf $X/</c>) is blocked.
/// </summary>
internal static class PathChecks
{
    public static void Read(PathContext context, Field field, bool metadataOnly = false)
    {
        if (SensitivePaths.IsNetworkDevice(field.Text))
        {
            context.Report(Verdict.TakesOver($"opens a raw network connection ({field.Display})"));
            return;
        }

        foreach (var path in context.Resolve(field))
        {
            if (SensitivePaths.IsReadableDevice(path) || path.Scope == PathScope.Workspace)
            {
                continue;
            }

            if (SensitivePaths.IsSecret(path))
            {
                context.Report(metadataOnly && !SensitivePaths.IsProcessSecret(path)
                    ? Verdict.ReadsOutside($"lists a secret location ({path.Display})")
                    : Verdict.TakesOver($"reads a secret ({path.Display})"));
            }
            else if (path.Scope == PathScope.Outside)
            {
                context.Report(Verdict.ReadsOutside($"reads outside the workspace ({path.Display})"));
            }
            else
            {
                context.Report(Verdict.Uncertain($"reads where an expansion decides ({path.Display})"));
            }
        }
    }

    /// <summary>
    /// Checks where a move, copy or link lands: onto a device it destroys the source or writes the device, whichever
    /// device it is (<c>mv notes.txt /dev/null</c> deletes the notes), so unlike other writes no device is harmless here.
    /// </summary>
    public static void Destination(PathContext context, Field field, string verb)
    {
        foreach (var path in context.Resolve(field).Where(SensitivePaths.IsDevice))
        {
            context.Report(Verdict.Destroys($"{verb} onto a device file ({path.Display})"));
        }

        Write(context, field, verb);
    }

    /// <summary>Checks a write target; <paramref name="verb"/> says what the command does to it ("writes", "changes permissions").</summary>
    public static void Write(PathContext context, Field field, string verb = "writes")
    {
        if (SensitivePaths.IsNetworkDevice(field.Text))
        {
            context.Report(Verdict.TakesOver($"opens a raw network connection ({field.Display})"));
            return;
        }

        foreach (var path in context.Resolve(field))
        {
            if (SensitivePaths.IsWritableDevice(path))
            {
                continue;
            }

            switch (path.Scope)
            {
                case PathScope.Outside when SensitivePaths.IsStartupFile(path):
                    context.Report(Verdict.TakesOver($"{verb} outside the workspace, into a shell startup file ({path.Display})"));
                    break;
                case PathScope.Outside when SensitivePaths.IsSecret(path):
                    context.Report(Verdict.TakesOver($"{verb} outside the workspace, on a secret ({path.Display})"));
                    break;
                case PathScope.Outside when SensitivePaths.IsSystemPath(path):
                    context.Report(Verdict.Destroys($"{verb} outside the workspace, in a system directory ({path.Display})"));
                    break;
                case PathScope.Outside:
                    context.Report(Verdict.Destroys($"{verb} outside the workspace ({path.Display})"));
                    break;
                case PathScope.Anywhere or PathScope.WorkspaceUncertain:
                    context.Report(Verdict.Uncertain($"{verb} where an expansion decides ({path.Display})"));
                    break;
                default:
                    context.Report(path.IsPattern
                        ? Verdict.ChangesWorkspaceBroadly($"{verb} inside the workspace, on files matching a pattern")
                        : Verdict.WritesWorkspace($"{verb} inside the workspace"));
                    break;
            }
        }
    }

    /// <summary>Checks a path the command removes; <paramref name="verb"/> is "deletes" or, for the source of a move, "moves".</summary>
    public static void Delete(PathContext context, Field field, bool recursive, string verb = "deletes")
    {
        foreach (var path in context.Resolve(field))
        {
            switch (path.Scope)
            {
                case PathScope.Outside:
                    context.Report(Verdict.Destroys($"{verb} outside the workspace ({path.Display})"));
                    break;
                case PathScope.Anywhere when recursive:
                    context.Report(Verdict.Destroys($"{verb} recursively a path that could be anywhere ({path.Display})"));
                    break;
                case PathScope.Anywhere or PathScope.WorkspaceUncertain:
                    context.Report(Verdict.Uncertain($"{verb} where an expansion decides ({path.Display})"));
                    break;
                default:
                    context.Report(recursive || path.IsPattern || path.IsWorkspaceRoot
                        ? Verdict.ChangesWorkspaceBroadly(path.IsWorkspaceRoot ? $"{verb} everything in the workspace" : $"{verb} recursively or by pattern inside the workspace")
                        : Verdict.WritesWorkspace($"{verb} inside the workspace"));
                    break;
            }
        }
    }

    /// <summary>
    /// Blocks any argument that names a secret, however the command takes it: as an operand, after <c>=</c>
    /// (<c>--file=~/.aws/credentials</c>, <c>if=</c>) or after <c>@</c> (<c>curl -d @~/.netrc</c>).
    /// </summary>
    public static void Secrets(PathContext context, IEnumerable<Field> fields)
    {
        foreach (var field in fields)
        {
            foreach (var candidate in Candidates(field))
            {
                var secret = context.Resolve(candidate).FirstOrDefault(SensitivePaths.IsSecret);
                if (secret is not null)
                {
                    context.Report(Verdict.TakesOver($"reads a secret ({secret.Display})"));
                    return;
                }
            }
        }
    }

    /// <summary>
    /// A path taken from inside an argument (<c>-F f=@~/x</c>) starting with <c>~</c>: the program may not expand it,
    /// but the policy assumes the home directory, which is the stricter reading.
    /// </summary>
    public static Field WithHome(Field field) =>
        field.Text.StartsWith("~/", StringComparison.Ordinal) || field.Text == "~" ? field with { Text = Sentinel.Home + field.Text[1..] } : field;

    private static IEnumerable<Field> Candidates(Field field)
    {
        yield return field;
        var text = field.Text;
        foreach (var marker in new[] { '=', '@' })
        {
            var index = text.IndexOf(marker);
            if (index >= 0 && index + 1 < text.Length)
            {
                yield return WithHome(field with { Text = text[(index + 1)..].TrimStart('@') });
            }
        }

        if (text.StartsWith('-'))
        {
            var slash = text.IndexOfAny(['/', Sentinel.Home]);
            if (slash > 0)
            {
                yield return field with { Text = text[slash..] };
            }
        }
    }
}
