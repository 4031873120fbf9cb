using Microsoft.Extensions.Options;

namespace DuckWorker;

[OptionsValidator]
internal sealed partial class WorkerOptionsValidator : IValidateOptions<WorkerOptions>;
