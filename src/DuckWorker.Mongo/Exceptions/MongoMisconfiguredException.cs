namespace DuckWorker.Mongo.Exceptions;

/// <summary>
/// The server refused the worker's credentials or TLS, or the driver refused the settings: trying again cannot
/// help, only a change of <c>Mongo:ConnectionString</c>. An <see cref="InvalidOperationException"/>, so a job
/// that meets it fails instead of going back to the queue for ever.
/// </summary>
internal sealed class MongoMisconfiguredException(string message, Exception innerException)
    : InvalidOperationException(message, innerException);
