namespace DuckWorker.Runtime.Models;

/// <summary>A model role did not give a usable answer: unreachable, an error status, a timeout, or an empty answer.</summary>
public sealed class ModelCallException : Exception
{
    public ModelCallException(string role, string message, Exception? innerException = null)
        : base(message, innerException) => Role = role;

    public string Role { get; }
}
