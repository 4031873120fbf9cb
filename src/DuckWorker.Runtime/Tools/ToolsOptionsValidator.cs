using Microsoft.Extensions.Options;

namespace DuckWorker.Runtime.Tools;

[OptionsValidator]
internal sealed partial class ToolsOptionsValidator : IValidateOptions<ToolsOptions>;
