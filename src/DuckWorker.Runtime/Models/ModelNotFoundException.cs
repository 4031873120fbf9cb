namespace DuckWorker.Runtime.Models;

/// <summary>
/// The server has no model of the name a role is configured with. Trying again cannot help, so the task fails
/// at once, with a reason that says how to get the model.
/// </summary>
public sealed class ModelNotFoundException(string role, string model, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    public string Role { get; } = role;

    public string Model { get; } = model;
}
