using System.ComponentModel.DataAnnotations;

namespace DuckWorker.Sqlite;

/// <summary>The <c>Sqlite</c> section: where the embedded store keeps its one file.</summary>
public sealed class SqliteOptions
{
    public const string Section = "Sqlite";

    /// <summary>The database file; a relative path is taken from the current directory. Its folder is created when missing.</summary>
    [Required(ErrorMessage = "Sqlite:Path is required: the file the embedded store keeps its data in.")]
    public string Path { get; set; } = "duckworker.db";
}
