namespace Forecast.AppHost.Storage;

/// <summary>Which S3 the local stack runs (configuration Storage:Mode).</summary>
public enum StorageMode
{
    /// <summary>LocalStack when a Docker engine answers, else s3rver.</summary>
    Auto,

    /// <summary>The LocalStack container (needs Docker and, for current images, LOCALSTACK_AUTH_TOKEN).</summary>
    LocalStack,

    /// <summary>s3rver (npm, tests/s3rver) as a plain executable: no Docker needed.</summary>
    S3rver,
}
