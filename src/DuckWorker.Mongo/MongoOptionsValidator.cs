using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace DuckWorker.Mongo;

// Written by hand: every error names its full key, and the rules span fields (collections must differ).
internal sealed class MongoOptionsValidator : IValidateOptions<MongoOptions>
{
    // MongoDB refuses these in database names on every platform it runs on.
    private static readonly char[] DatabaseForbidden = ['/', '\\', '.', ' ', '"', '$', '*', '<', '>', ':', '|', '?', '\0'];

    public ValidateOptionsResult Validate(string? name, MongoOptions options)
    {
        var errors = new List<string>();
        ValidateConnectionString(options.ConnectionString, errors);

        if (string.IsNullOrEmpty(options.Database) || options.Database.Length > 63 || options.Database.IndexOfAny(DatabaseForbidden) >= 0)
        {
            errors.Add($"Mongo:Database must be a database name of 1 to 63 characters without any of / \\ . space \" $ * < > : | ?; it is '{options.Database}'.");
        }

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, collection) in options.Collections)
        {
            if (string.IsNullOrEmpty(collection) || collection.Length > 120 || collection.Contains('$', StringComparison.Ordinal)
                || collection.Contains('\0', StringComparison.Ordinal) || collection.StartsWith("system.", StringComparison.Ordinal))
            {
                errors.Add($"Mongo:{key} must be a collection name of 1 to 120 characters, without '$', not starting with 'system.'; it is '{collection}'.");
            }
            else if (!seen.TryAdd(collection, key))
            {
                errors.Add($"Mongo:{key} and Mongo:{seen[collection]} both name the collection '{collection}'; each store needs its own.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateConnectionString(string? connectionString, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            errors.Add("Mongo:ConnectionString is required, e.g. mongodb://localhost:27017.");
            return;
        }

        try
        {
            // Parsing resolves nothing (no DNS lookup for mongodb+srv), so this stays a check of the text.
            _ = MongoUrl.Create(connectionString);
        }
        catch (MongoConfigurationException ex)
        {
            // The driver's message hides any password in the string it quotes.
            errors.Add($"Mongo:ConnectionString must be a mongodb:// or mongodb+srv:// connection string: {ex.Message}");
        }
    }
}
