using System.Collections.Concurrent;
using System.Diagnostics;

namespace DuckWorker.Testing.Processes;

/// <summary>Every line a started program writes to its output and error, collected as it comes.</summary>
public sealed class ProcessOutput
{
    private readonly ConcurrentQueue<string> lines = new();
    private readonly Process process;
    private readonly string program;

    private ProcessOutput(Process process, string program)
    {
        this.process = process;
        this.program = program;
    }

    public string Text => string.Join('\n', lines);

    /// <summary>Starts <paramref name="process"/> with its output and error redirected here; <paramref name="program"/> names it in failures.</summary>
    public static ProcessOutput Start(Process process, string program)
    {
        var output = new ProcessOutput(process, program);
        process.OutputDataReceived += (_, line) => output.Collect(line.Data);
        process.ErrorDataReceived += (_, line) => output.Collect(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return output;
    }

    public async Task WaitForAsync(string text, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (!Text.Contains(text, StringComparison.Ordinal))
        {
            if (TimeProvider.System.GetElapsedTime(started) > timeout || process.HasExited)
            {
                throw new TimeoutException($"{program} did not print \"{text}\" within {timeout} (exited: {process.HasExited}). It printed:\n{Text}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private void Collect(string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
