namespace DuckWorker.Mongo;

/// <summary>The <c>Mongo</c> section: the server, the database and the name of each collection.</summary>
public sealed class MongoOptions
{
    public const string Section = "Mongo";

    /// <summary>A <c>mongodb://</c> or <c>mongodb+srv://</c> connection string; its options (timeouts, write concern, TLS) apply as given.</summary>
    public string ConnectionString { get; set; } = "mongodb://localhost:27017";

    public string Database { get; set; } = "duckworker";

    public string TasksCollection { get; set; } = "tasks";

    public string EventsCollection { get; set; } = "events";

    public string ApprovalsCollection { get; set; } = "approvals";

    public string ApprovalRulesCollection { get; set; } = "approval_rules";

    public string MemoriesCollection { get; set; } = "memories";

    public string ExperiencesCollection { get; set; } = "experiences";

    /// <summary>
    /// The name of an Atlas Vector Search index on the memories' <c>embedding</c> (cosine, with <c>workspace</c>
    /// and <c>scope</c> as filter fields) and one of the same name on the experiences' <c>lessonEmbedding</c>
    /// (cosine); empty, or while an index is missing, building or failing, ranks in process.
    /// </summary>
    public string VectorIndex { get; set; } = "";

    /// <summary>Every collection with the key that names it, for validation and messages.</summary>
    internal IReadOnlyList<(string Key, string Name)> Collections =>
    [
        (nameof(TasksCollection), TasksCollection),
        (nameof(EventsCollection), EventsCollection),
        (nameof(ApprovalsCollection), ApprovalsCollection),
        (nameof(ApprovalRulesCollection), ApprovalRulesCollection),
        (nameof(MemoriesCollection), MemoriesCollection),
        (nameof(ExperiencesCollection), ExperiencesCollection),
    ];
}
