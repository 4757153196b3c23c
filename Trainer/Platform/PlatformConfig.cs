using Forecast.Core.Storage;
using Forecast.Trainer.Configuration;

namespace Forecast.Trainer.Platform;

/// <summary>
/// Loads the YAML config from a local path (ConfigLoader.Load, with its messages) or an s3:// URI (read through
/// <see cref="StorageLocations"/>, then ConfigLoader.Parse), and returns how to re-bind it with another model.name,
/// which the model feature flag needs for its variants.
/// </summary>
public static class PlatformConfig
{
    public static async Task<(TrainerConfig Config, Func<string, TrainerConfig> WithModel)> LoadAsync(
        string path, IReadOnlyList<string> overrides, StorageLocations locations, CancellationToken cancellationToken)
    {
        if (!S3Uri.IsS3(path))
        {
            var local = ConfigLoader.Load(path, overrides);
            return (local, model => ConfigLoader.Parse(File.ReadAllText(path), path, [.. overrides, $"model.name={model}"]));
        }

        string yaml;
        try
        {
            yaml = await locations.ReadAllTextAsync(path, cancellationToken);
        }
        catch (FormatException e)
        {
            throw new ConfigException(path, "--config", e.Message);
        }
        catch (S3StorageException e)
        {
            throw new ConfigException(path, "--config", $"{e.Message} Pass an existing YAML object to --config or {ConfigLoader.EnvironmentVariable}.");
        }
        return (ConfigLoader.Parse(yaml, path, overrides), model => ConfigLoader.Parse(yaml, path, [.. overrides, $"model.name={model}"]));
    }
}
