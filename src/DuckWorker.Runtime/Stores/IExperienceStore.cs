namespace DuckWorker.Runtime.Stores;

/// <summary>Reflection records of finished tasks, and their reusable lessons.</summary>
public interface IExperienceStore
{
    Task AddAsync(ExperienceRecord record, CancellationToken cancellationToken);

    Task<ExperienceRecord?> GetAsync(string recordId, CancellationToken cancellationToken);

    /// <summary>
    /// The ids, in order, of the records with a reusable lesson whose vector was not made by
    /// <paramref name="embeddedBy"/>, those without a vector included; of every record with a lesson when it is null.
    /// </summary>
    Task<IReadOnlyList<string>> ListLessonIdsNotEmbeddedByAsync(string? embeddedBy, CancellationToken cancellationToken);

    /// <summary>Replaces the vector of a record's lesson and the name of its embedder; false when the record does not exist.</summary>
    Task<bool> SetLessonEmbeddingAsync(string recordId, float[] embedding, string embeddedBy, CancellationToken cancellationToken);

    /// <summary>
    /// The records with a reusable lesson whose vector is closest to <paramref name="vector"/> (cosine
    /// similarity, both unit length), best first, none below <paramref name="minScore"/>; lessons from every
    /// workspace count, since a lesson is about how to work, not about one project. Only vectors made by
    /// <paramref name="embeddedBy"/>, of the query's dimension, are considered.
    /// </summary>
    Task<IReadOnlyList<Scored<ExperienceRecord>>> SearchLessonsAsync(
        string embeddedBy,
        ReadOnlyMemory<float> vector,
        int limit,
        double minScore,
        CancellationToken cancellationToken);
}
