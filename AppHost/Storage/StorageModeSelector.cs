namespace Forecast.AppHost.Storage;

/// <summary>
/// Turns Storage:Mode into the emulator to run, and fails loudly where Aspire would hang: a resource that WaitFor()s a
/// container which cannot start waits forever without a word, and Aspire has no public "is Docker there" check.
/// Publishing (the manifest) never probes the machine, so the manifest does not depend on where it was generated.
/// </summary>
public static class StorageModeSelector
{
    public const string ConfigurationKey = "Storage:Mode";

    public static StorageMode Parse(string? configured) => (configured ?? "auto").Trim().ToLowerInvariant() switch
    {
        "" or "auto" => StorageMode.Auto,
        "localstack" => StorageMode.LocalStack,
        "s3rver" => StorageMode.S3rver,
        _ => throw new InvalidOperationException(
            $"{ConfigurationKey} is '{configured}'; use auto, localstack or s3rver (e.g. dotnet run --project AppHost -- {ConfigurationKey}=s3rver)."),
    };

    /// <param name="dockerAnswers">Asks the Docker engine; called only when the choice depends on it.</param>
    public static (StorageMode Mode, string Reason) Choose(string? configured, bool isPublishMode, Func<bool> dockerAnswers)
    {
        var mode = Parse(configured);
        if (isPublishMode)
            return mode == StorageMode.S3rver
                ? (StorageMode.S3rver, $"{ConfigurationKey}=s3rver")
                : (StorageMode.LocalStack, "publishing: the manifest describes the LocalStack container, whatever this machine has");
        switch (mode)
        {
            case StorageMode.S3rver:
                return (StorageMode.S3rver, $"{ConfigurationKey}=s3rver");
            case StorageMode.LocalStack:
                if (!dockerAnswers())
                    throw new InvalidOperationException(
                        $"{ConfigurationKey}=localstack but no Docker engine answers on {DockerEngine.Describe()}. Start Docker, or run " +
                        $"without containers: dotnet run --project AppHost -- {ConfigurationKey}=s3rver");
                return (StorageMode.LocalStack, $"{ConfigurationKey}=localstack and Docker answers");
            default:
                return dockerAnswers()
                    ? (StorageMode.LocalStack, $"{ConfigurationKey}=auto and a Docker engine answers on {DockerEngine.Describe()}")
                    : (StorageMode.S3rver, $"{ConfigurationKey}=auto and no Docker engine answers on {DockerEngine.Describe()}");
        }
    }
}
