using System.Security.Authentication;
using MongoDB.Driver;

namespace DuckWorker.Mongo;

/// <summary>Which driver errors mean "the store is unreachable for now", which ones mean "the settings are wrong", and which ones are answers.</summary>
internal static class MongoErrors
{
    public const int DuplicateKeyCode = 11000;

    // The server's codes for a node that is down, stepping down, shutting down or not reachable: the codes the
    // driver's retryable reads and writes retry on, plus a write concern that timed out and an exceeded maxTimeMS.
    private static readonly HashSet<int> TransientCodes =
    [
        6,     // HostUnreachable
        7,     // HostNotFound
        50,    // MaxTimeMSExpired
        64,    // WriteConcernFailed
        89,    // NetworkTimeout
        91,    // ShutdownInProgress
        189,   // PrimarySteppedDown
        262,   // ExceededTimeLimit
        9001,  // SocketException
        10107, // NotWritablePrimary
        11600, // InterruptedAtShutdown
        11602, // InterruptedDueToReplStateChange
        13435, // NotPrimaryNoSecondaryOk
        13436, // NotPrimaryOrSecondary
    ];

    private static readonly string[] TransientLabels = ["NetworkError", "RetryableWriteError", "TransientTransactionError", "RetryableError", "SystemOverloadedError"];

    public static bool IsTransient(Exception exception) => !IsMisconfiguration(exception) && exception switch
    {
        // Server selection and client-side operation timeouts: no server answered in time.
        TimeoutException => true,
        MongoConnectionException or MongoNotPrimaryException or MongoNodeIsRecoveringException => true,
        MongoConnectionPoolPausedException or MongoWaitQueueFullException or MongoExecutionTimeoutException => true,
        MongoException mongo when TransientLabels.Any(mongo.HasErrorLabel) => true,
        MongoWriteException write => TransientCodes.Contains(write.WriteError?.Code ?? 0) || TransientCodes.Contains(write.WriteConcernError?.Code ?? 0),
        MongoCommandException command => TransientCodes.Contains(command.Code),
        _ => false,
    };

    /// <summary>
    /// Errors that trying again cannot cure, only a change of <c>Mongo:ConnectionString</c>: credentials the
    /// server refuses (<see cref="MongoAuthenticationException"/> derives from <see cref="MongoConnectionException"/>,
    /// which is otherwise transient), a TLS handshake that fails, settings the driver refuses.
    /// </summary>
    public static bool IsMisconfiguration(Exception exception) => exception switch
    {
        MongoAuthenticationException or MongoConfigurationException or MongoIncompatibleDriverException => true,
        MongoConnectionException connection => connection.InnerException is { } inner && (inner is AuthenticationException || IsMisconfiguration(inner)),
        _ => false,
    };

    public static bool IsDuplicateKey(MongoWriteException exception) => exception.WriteError?.Category == ServerErrorCategory.DuplicateKey;
}
