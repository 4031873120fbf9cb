using System.Globalization;

namespace DuckWorker.Testing.Soak;

/// <summary>
/// Counts the tool calls that really ran, outside the worker's own records. Every soak command is a
/// <c>cat</c>, read-only or writing through a redirection, so a <c>cat</c> first on the workers' PATH
/// records one line per execution (job, step, the process that started it) before it runs the real one.
/// The policy judges the command line, not the binary, so read-only calls still run at once; and a call
/// that ran twice, or that ran although it was denied, shows in the file whatever the worker recorded.
/// </summary>
public sealed class CallCounter
{
    private long read;

    private CallCounter(string binFolder, string file)
    {
        BinFolder = binFolder;
        File = file;
    }

    /// <summary>The folder to put first on the workers' PATH.</summary>
    public string BinFolder { get; }

    public string File { get; }

    public static CallCounter Create(string folder, TimeSpan callDuration)
    {
        var bin = Directory.CreateDirectory(Path.Join(folder, "bin")).FullName;
        var file = Path.Join(folder, "calls.log");
        System.IO.File.WriteAllText(file, "");
        var realCat = new[] { "/usr/bin/cat", "/bin/cat" }.First(System.IO.File.Exists);
        var shim = Path.Join(bin, "cat");
        // One short append (O_APPEND) per call is atomic between processes; the sleep keeps the call running
        // long enough for a kill to land inside it.
        System.IO.File.WriteAllText(shim, $"""
            #!/bin/sh
            printf '%s %s %s\n' "${"{"}PWD##*/{"}"}" "$1" "$PPID" >> '{file}'
            sleep {callDuration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}
            exec {realCat} "$@"

            """);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The soak's commands are POSIX shell commands.");
        }

        System.IO.File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return new CallCounter(bin, file);
    }

    /// <summary>Every call recorded so far.</summary>
    public IReadOnlyList<RanCall> All() => [.. Lines(System.IO.File.ReadAllText(File))];

    /// <summary>The calls recorded since the last time this was asked.</summary>
    public IReadOnlyList<RanCall> New()
    {
        using var stream = new FileStream(File, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (stream.Length <= read)
        {
            return [];
        }

        stream.Position = read;
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var complete = text.LastIndexOf('\n') + 1;
        read += System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(0, complete));
        return [.. Lines(text[..complete])];
    }

    private static IEnumerable<RanCall> Lines(string text)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length == 3)
            {
                yield return new RanCall(parts[0], parts[1], int.TryParse(parts[2], CultureInfo.InvariantCulture, out var parent) ? parent : 0);
            }
        }
    }
}

/// <summary>One tool call that ran: the job (its workspace), the step file it read, the process that started it.</summary>
public sealed record RanCall(string JobId, string Step, int ParentProcess);
