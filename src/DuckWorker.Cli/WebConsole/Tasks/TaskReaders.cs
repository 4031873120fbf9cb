using DuckWorker.Runtime.Stores;

namespace DuckWorker.Cli.WebConsole.Tasks;

/// <summary>The stores a task page reads, together.</summary>
internal sealed record TaskReaders(ITaskStore Tasks, IEventLog Events, IApprovalStore Approvals, IMemoryStore Memories);
