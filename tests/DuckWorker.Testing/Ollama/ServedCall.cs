namespace DuckWorker.Testing.Ollama;

/// <summary>
/// A call the Ollama-protocol server answered: <see cref="Began"/> as its request came in, <see cref="Ended"/> once
/// its reply was written (both <see cref="System.Diagnostics.Stopwatch"/> timestamps). Two calls overlapped when
/// each began before the other ended.
/// </summary>
public sealed record ServedCall(string Model, long Began, long Ended)
{
    public bool Overlaps(ServedCall other) => Began < other.Ended && other.Began < Ended;
}
