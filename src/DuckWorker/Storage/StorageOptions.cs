using System.ComponentModel.DataAnnotations;

namespace DuckWorker.Storage;

/// <summary>The <c>Storage</c> section: which adapter keeps tasks, events, approvals and memories.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";
    public const string Sqlite = "sqlite";
    public const string Mongo = "mongo";

    [RegularExpression("^(sqlite|mongo)$", ErrorMessage = "Storage:Provider must be 'sqlite' (the embedded store, one file at Sqlite:Path) or 'mongo' (MongoDB at Mongo:ConnectionString).")]
    public string Provider { get; set; } = Sqlite;
}
