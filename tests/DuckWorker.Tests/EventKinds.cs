using DuckWorker.Runtime.Loop;
using DuckWorker.Runtime.Models;
using DuckWorker.Runtime.Stores;

namespace DuckWorker.Tests;

/// <summary>An event's type, with the role for <c>model_call_finished</c>: which model answered is part of the order a test expects.</summary>
internal static class EventKinds
{
    public const string ThinkerCall = EventTypes.ModelCallFinished + ":" + ModelRoles.Thinker;
    public const string ActionCall = EventTypes.ModelCallFinished + ":" + ModelRoles.Action;
    public const string MemoryCall = EventTypes.ModelCallFinished + ":" + ModelRoles.Memory;
    public const string CriticCall = EventTypes.ModelCallFinished + ":" + ModelRoles.Critic;
    public const string EmbeddingCall = EventTypes.ModelCallFinished + ":" + ModelRoles.Embedding;

    public static string Kind(TaskEvent entry) =>
        entry.EventType == EventTypes.ModelCallFinished ? $"{entry.EventType}:{entry.Payload.GetProperty("role").GetString()}" : entry.EventType;
}
