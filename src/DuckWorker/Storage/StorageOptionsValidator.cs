using Microsoft.Extensions.Options;

namespace DuckWorker.Storage;

[OptionsValidator]
internal sealed partial class StorageOptionsValidator : IValidateOptions<StorageOptions>;
