using Forecast.AppHost.Storage;
using Microsoft.Extensions.Configuration;

namespace Forecast.AppHost;

/// <summary>How the AppHost hands the Trainer its S3 and its feature flags: environment variables it already reads.</summary>
public static class TrainerResourceExtensions
{
    /// <summary>Storage:S3 options and the emulator's credentials (the standard AWS chain reads AWS_ACCESS_KEY_ID/...).</summary>
    public static IResourceBuilder<ProjectResource> WithS3(this IResourceBuilder<ProjectResource> trainer, S3Emulator s3) => trainer
        .WithEnvironment("Storage__S3__ServiceUrl", s3.Endpoint)
        .WithEnvironment("Storage__S3__EmulatorMode", s3.EmulatorMode ? "true" : "false")
        .WithEnvironment("Storage__S3__ForcePathStyle", "true")
        .WithEnvironment("AWS_ACCESS_KEY_ID", s3.AccessKeyId)
        .WithEnvironment("AWS_SECRET_ACCESS_KEY", s3.SecretAccessKey)
        .WithEnvironment("AWS_REGION", "us-east-1");

    /// <summary>
    /// Forwards the AppHost's Trainer:FeatureManagement (on/off flags) and Trainer:feature_management (the variant
    /// Model flag) sections as the Trainer's environment variables, where they override its appsettings.json.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithFeatureFlags(this IResourceBuilder<ProjectResource> trainer, IConfigurationSection settings)
    {
        foreach (string section in new[] { "FeatureManagement", "feature_management" })
        {
            foreach (var (key, value) in settings.GetSection(section).AsEnumerable(makePathsRelative: true))
            {
                if (value is null) continue;
                trainer.WithEnvironment($"{section}__{key.Replace(":", "__", StringComparison.Ordinal)}", value);
            }
        }
        return trainer;
    }
}
