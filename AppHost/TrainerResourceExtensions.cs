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
    /// How the Dashboard starts a Trainer process for a run request when the stack runs locally: the Trainer project
    /// as this AppHost built it (`dotnet run --no-build` in the AppHost's configuration, as Aspire runs its projects),
    /// from the repository root, where the shipped configs' relative paths (sample-data/, models/) resolve, with the same
    /// feature flags as the Trainer resource (the Dashboard's environment, which its processes inherit). Published
    /// (aspire-manifest.json), the Dashboard only writes the request (Trainer__Launch=Request): the deployment's S3 event
    /// rule starts the Trainer's state machine on it, and the deploy stack lets that project write run requests.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithTrainerProcess<TTrainer>(this IResourceBuilder<ProjectResource> dashboard, string repository,
        IConfigurationSection trainerSettings)
        where TTrainer : IProjectMetadata, new()
    {
        if (!dashboard.ApplicationBuilder.ExecutionContext.IsRunMode) return dashboard.WithEnvironment("Trainer__Launch", "Request");
        dashboard.WithFeatureFlags(trainerSettings);
        string configuration = typeof(TrainerResourceExtensions).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false)
            .OfType<System.Reflection.AssemblyConfigurationAttribute>().FirstOrDefault()?.Configuration ?? "Debug";
        string[] arguments = ["run", "--project", new TTrainer().ProjectPath, "--configuration", configuration, "--no-build", "--no-launch-profile", "--"];
        dashboard.WithEnvironment("Trainer__Command", "dotnet").WithEnvironment("Trainer__WorkingDirectory", repository);
        for (int i = 0; i < arguments.Length; i++) dashboard.WithEnvironment($"Trainer__Arguments__{i}", arguments[i]);
        return dashboard;
    }

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
