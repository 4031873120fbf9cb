using System.Threading.Channels;
using Spectre.Console;

namespace DuckWorker.Cli.Commands;

/// <summary>
/// A person's answers to approval requests: single keys on a terminal (no Enter; keys typed while no request
/// is shown are dropped by <see cref="HasEnded"/>, so that none decides a request nobody saw; Ctrl+D ends the
/// input), or lines when the input is redirected, read ahead so that its end is noticed while no request is shown.
/// A line answers with its first word and may carry text after it (<c>d use the staging folder</c>); a key
/// cannot, so on a terminal text (a comment, an edited command) is asked for as a line of its own.
/// </summary>
internal abstract class AnswerInput : IDisposable
{
    /// <summary>The input ended, and no answer typed ahead waits for a request; asked before a request is shown.</summary>
    public abstract bool HasEnded();

    /// <summary>Completes when the input ends.</summary>
    public abstract Task Completion { get; }

    public static AnswerInput For(CliContext cli) => ReferenceEquals(cli.Input, Console.In) && !Console.IsInputRedirected
        ? new Keys(cli.Console)
        : new Lines(cli.Input);

    /// <summary>True on a terminal: a key carries no text, so a comment is asked for after it.</summary>
    public abstract bool AsksForText { get; }

    /// <summary>
    /// The next answer: one key, or a line's first word, in lower case, with the rest of the line as typed (null
    /// when there is none, and always for a key); null at the end of the input.
    /// </summary>
    public abstract Task<(string Key, string? Text)?> NextAsync(CancellationToken cancellationToken);

    /// <summary>The next line of text as typed, or null at the end of the input.</summary>
    public abstract Task<string?> LineAsync(CancellationToken cancellationToken);

    public virtual void Dispose()
    {
    }

    private sealed class Keys(IAnsiConsole console) : AnswerInput
    {
        private const char EndOfInput = '\u0004';
        private readonly TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Drops the keys typed while no request is shown, except Ctrl+D, which ends the input.</summary>
        public override bool HasEnded()
        {
            while (!ended.Task.IsCompleted && Console.KeyAvailable)
            {
                if (Console.ReadKey(intercept: true).KeyChar == EndOfInput)
                {
                    ended.TrySetResult();
                }
            }

            return ended.Task.IsCompleted;
        }

        public override Task Completion => ended.Task;

        public override bool AsksForText => true;

        public override async Task<(string Key, string? Text)?> NextAsync(CancellationToken cancellationToken)
        {
            // ReadKey cannot be cancelled; on Ctrl+C the command ends without waiting for it.
            var key = await Task.Run(() => Console.ReadKey(intercept: true), CancellationToken.None).WaitAsync(cancellationToken);
            if (key.KeyChar == EndOfInput)
            {
                ended.TrySetResult();
                console.WriteLine();
                return null;
            }

            console.WriteLine(key.KeyChar.ToString());
            return (char.ToLowerInvariant(key.KeyChar).ToString(), null);
        }

        public override async Task<string?> LineAsync(CancellationToken cancellationToken)
        {
            // Echoed by the terminal as typed; ReadLine cannot be cancelled either.
            var line = await Task.Run(Console.ReadLine, CancellationToken.None).WaitAsync(cancellationToken);
            if (line is null)
            {
                ended.TrySetResult();
            }

            return line;
        }
    }

    private sealed class Lines : AnswerInput
    {
        private readonly Channel<string> typed = Channel.CreateUnbounded<string>();
        private readonly CancellationTokenSource stop = new();

        // On a thread of its own: the console's reader blocks, whatever its Async name says.
        public Lines(TextReader input) => Completion = Task.Run(() => ReadAsync(input, stop.Token));

        public override bool HasEnded() => typed.Reader.Completion.IsCompleted;

        public override Task Completion { get; }

        public override bool AsksForText => false;

        public override async Task<(string Key, string? Text)?> NextAsync(CancellationToken cancellationToken)
        {
            if (await LineAsync(cancellationToken) is not { } line)
            {
                return null;
            }

            var words = line.Trim().Split((char[]?)null, 2, StringSplitOptions.TrimEntries);
            return (words[0].ToLowerInvariant(), words.Length > 1 && words[1].Length > 0 ? words[1] : null);
        }

        public override async Task<string?> LineAsync(CancellationToken cancellationToken) =>
            await typed.Reader.WaitToReadAsync(cancellationToken) && typed.Reader.TryRead(out var line) ? line : null;

        public override void Dispose()
        {
            stop.Cancel();
            stop.Dispose();
        }

        private async Task ReadAsync(TextReader input, CancellationToken cancellationToken)
        {
            try
            {
                while (await input.ReadLineAsync(cancellationToken) is { } line)
                {
                    typed.Writer.TryWrite(line);
                }
            }
            catch (OperationCanceledException)
            {
                // The command ended before its input did.
            }
            finally
            {
                typed.Writer.TryComplete();
            }
        }
    }
}
