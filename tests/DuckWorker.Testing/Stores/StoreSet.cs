using DuckWorker.Runtime.Stores;

namespace DuckWorker.Testing.Stores;

/// <summary>Every store port of one adapter, on a fresh and empty store.</summary>
public sealed record StoreSet(
    ITaskStore Tasks,
    IEventLog Events,
    IApprovalStore Approvals,
    IApprovalRuleStore Rules,
    IMemoryStore Memories,
    IExperienceStore Experiences);
