namespace DuckWorker.Runtime.Models;

/// <summary>
/// A model role could not be reached, or kept failing on the server's side, through every retry: the job
/// should be tried again later rather than its task failed. Other model failures are <see cref="ModelCallException"/>.
/// </summary>
public sealed class ModelUnavailableException(string role, string? model, string reason, Exception innerException)
    : Exception($"The {role} model{(model is null ? "" : $" ({model})")} is unavailable: {reason}", innerException)
{
    public string Role { get; } = role;

    public string? Model { get; } = model;

    /// <summary>Why, in one line: what the client saw (refused, a status, a timeout).</summary>
    public string Reason { get; } = reason;
}
