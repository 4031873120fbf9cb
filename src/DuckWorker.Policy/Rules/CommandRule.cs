using DuckWorker.Policy.Judging;

namespace DuckWorker.Policy.Rules;

/// <summary>Judges one invocation of a command and reports what it found.</summary>
internal delegate void CommandRule(Invocation invocation);
