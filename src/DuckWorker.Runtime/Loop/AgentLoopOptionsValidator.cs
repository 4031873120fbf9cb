using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Loop;

[OptionsValidator]
internal sealed partial class AgentLoopOptionsValidator : IValidateOptions<AgentLoopOptions>;
