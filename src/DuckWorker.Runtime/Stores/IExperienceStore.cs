namespace DuckWorker.Runtime.Stores;

/// <summary>Reflection records of finished tasks.</summary>
public interface IExperienceStore
{
    Task AddAsync(ExperienceRecord record, CancellationToken cancellationToken);

    Task<ExperienceRecord?> GetAsync(string recordId, CancellationToken cancellationToken);
}
