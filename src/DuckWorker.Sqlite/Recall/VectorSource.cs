namespace DuckWorker.Sqlite.Recall;

/// <summary>
/// Where a <see cref="VectorIndex"/> finds its vectors in the file, and the change log that triggers fill for them
/// (<see cref="Schema.SqliteSchema"/>). <see cref="ReadAll"/> and <see cref="ReadChangedSince"/> return, per row, the
/// id, the workspace, whether it is global, the embedder (<see cref="DuckWorker.Runtime.Stores.EmbedderName.Unknown"/>
/// for a vector stored without its name, as the stores read it) and the vector, null when there is none to search
/// for it any more; <see cref="Exact"/> the id and exact vector of each candidate in <c>$ids</c> that still matches.
/// </summary>
internal sealed record VectorSource(string Changes, string ReadAll, string ReadChangedSince, string Exact)
{
    /// <summary>The memories, each of its workspace or global.</summary>
    public static VectorSource Memories { get; } = new(
        "memory_changes",
        $"SELECT m.memory_id, {MemoryColumns} FROM memories AS m WHERE m.embedding IS NOT NULL;",
        $"""
        SELECT c.memory_id, {MemoryColumns}
        FROM (SELECT DISTINCT memory_id FROM memory_changes WHERE seq > $seen) AS c
        LEFT JOIN memories AS m ON m.memory_id = c.memory_id;
        """,
        // The cross join makes SQLite look the candidates up by id; left to choose, it would walk the whole
        // workspace through its index to serve the OR, as slow as the scan the index replaces.
        """
        SELECT m.memory_id, m.embedding FROM json_each($ids) AS c CROSS JOIN memories AS m ON m.memory_id = c.value
        WHERE m.embedding IS NOT NULL AND (m.workspace = $workspace OR m.scope = 'global')
            AND m.embedded_by = $embedder AND length(m.embedding) = CAST($bytes AS INTEGER);
        """);

    /// <summary>The reusable lessons of the critic's reflections: all of them global, one per experience that has a lesson.</summary>
    public static VectorSource Lessons { get; } = new(
        "lesson_changes",
        $"SELECT e.record_id, {LessonColumns} FROM experiences AS e WHERE e.lesson_embedding IS NOT NULL AND e.reusable_lesson IS NOT NULL;",
        $"""
        SELECT c.record_id, {LessonColumns}
        FROM (SELECT DISTINCT record_id FROM lesson_changes WHERE seq > $seen) AS c
        LEFT JOIN experiences AS e ON e.record_id = c.record_id;
        """,
        """
        SELECT e.record_id, e.lesson_embedding FROM json_each($ids) AS c CROSS JOIN experiences AS e ON e.record_id = c.value
        WHERE e.lesson_embedding IS NOT NULL AND e.reusable_lesson IS NOT NULL
            AND e.lesson_embedded_by = $embedder AND length(e.lesson_embedding) = CAST($bytes AS INTEGER);
        """);

    private const string MemoryColumns = "m.workspace, m.scope = 'global', COALESCE(m.embedded_by, 'unknown') AS embedder, m.embedding";

    private const string LessonColumns =
        "'' AS workspace, 1 AS global, COALESCE(e.lesson_embedded_by, 'unknown') AS embedder, "
        + "CASE WHEN e.reusable_lesson IS NULL THEN NULL ELSE e.lesson_embedding END AS embedding";
}
