using DuckWorker.Runtime.Stores;

namespace DuckWorker.Cli.WebConsole.Tasks;

/// <summary>A memory a task recalled, with its similarity; <see cref="Memory"/> is null once it was forgotten.</summary>
internal sealed record RecalledMemory(string MemoryId, double? Score, MemoryRecord? Memory);
