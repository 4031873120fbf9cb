using System.ComponentModel.DataAnnotations;

namespace DuckWorker.Storage;

/// <summary>The <c>Storage</c> section: which adapter keeps tasks, events, approvals and memories.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string Sqlite = "sqlite";

    [RegularExpression("^sqlite$", ErrorMessage = "Storage:Provider must be 'sqlite' (the embedded store); the MongoDB store is not part of this build yet.")]
    public string Provider { get; set; } = Sqlite;
}
