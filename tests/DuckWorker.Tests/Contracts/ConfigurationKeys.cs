using System.Collections;
using System.Reflection;
using System.Text.Json;

namespace DuckWorker.Tests.Contracts;

/// <summary>
/// Every configuration key the worker and <c>duck</c> read: each public settable property of an options class
/// (a class with a <c>Section</c> constant), followed into nested classes, and every key of
/// <c>appsettings.json</c>. A dictionary's keys are written as a placeholder, e.g.
/// <c>Ollama:Roles:&lt;role&gt;:Model</c>.
/// </summary>
internal static class ConfigurationKeys
{
    /// <summary>Sections read as dictionaries that no options class of ours binds, with the placeholder of their keys.</summary>
    private static readonly Dictionary<string, string> ForeignDictionaries = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Logging:LogLevel"] = "<category>",
    };

    private static readonly Assembly[] Assemblies =
    [
        typeof(WorkerOptions).Assembly,
        typeof(DuckWorker.Runtime.Loop.RuntimeLoop).Assembly,
        typeof(DuckWorker.RabbitMq.RabbitMqOptions).Assembly,
        typeof(DuckWorker.Sqlite.SqliteOptions).Assembly,
        typeof(DuckWorker.Mongo.MongoOptions).Assembly,
        typeof(DuckWorker.Cli.CliContext).Assembly,
    ];

    /// <summary>Each bound key with the options class that binds it.</summary>
    public static IReadOnlyDictionary<string, string> BoundByOptions()
    {
        var keys = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in Assemblies.SelectMany(a => a.GetTypes()).Where(t => t.IsClass && !t.IsAbstract))
        {
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field && field.GetRawConstantValue() is string section)
            {
                Walk(type, section, type.Name, keys, depth: 0);
            }
        }

        return keys;
    }

    /// <summary>Each key of <c>appsettings.json</c>, dictionaries' keys as placeholders.</summary>
    public static IReadOnlySet<string> InAppSettings()
    {
        var placeholders = new Dictionary<string, string>(ForeignDictionaries, StringComparer.OrdinalIgnoreCase);
        foreach (var key in BoundByOptions().Keys.Where(k => k.Contains(":<", StringComparison.Ordinal)))
        {
            var at = key.IndexOf(":<", StringComparison.Ordinal);
            placeholders[key[..at]] = key[(at + 1)..(key.IndexOf('>', at) + 1)];
        }

        using var settings = JsonDocument.Parse(RepositoryDocs.Read("appsettings.json"));
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        Flatten(settings.RootElement, "", placeholders, keys);
        return keys;
    }

    private static void Walk(Type type, string prefix, string owner, SortedDictionary<string, string> keys, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetMethod?.IsPublic == true && p.SetMethod?.IsPublic == true))
        {
            var key = $"{prefix}:{property.Name}";
            var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsLeaf(valueType) || depth > 4)
            {
                keys[key] = owner;
            }
            else if (valueType.IsGenericType && valueType.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                var placeholder = $"<{property.Name.ToLowerInvariant().TrimEnd('s')}>";
                var element = valueType.GetGenericArguments()[1];
                if (IsLeaf(element))
                {
                    keys[$"{key}:{placeholder}"] = owner;
                }
                else
                {
                    Walk(element, $"{key}:{placeholder}", owner, keys, depth + 1);
                }
            }
            else
            {
                Walk(valueType, key, owner, keys, depth + 1);
            }
        }
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(Uri) || type == typeof(DateTimeOffset)
        || (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && !(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>)));

    private static void Flatten(JsonElement element, string path, Dictionary<string, string> placeholders, SortedSet<string> keys)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            keys.Add(path);
            return;
        }

        var placeholder = placeholders.GetValueOrDefault(path);
        foreach (var property in element.EnumerateObject())
        {
            var name = placeholder ?? property.Name;
            Flatten(property.Value, path.Length == 0 ? name : $"{path}:{name}", placeholders, keys);
        }
    }
}
