namespace DuckWorker.Runtime.Models;

/// <summary>
/// A model role could not be reached, or kept failing on the server's side, through every retry: the job
/// should be tried again later rather than its task failed. Other model failures are <see cref="ModelCallException"/>.
/// </summary>
public sealed class ModelUnavailableException(string role, string message, Exception innerException)
    : Exception(message, innerException)
{
    public string Role { get; } = role;
}
