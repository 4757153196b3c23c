namespace Forecast.Core.Storage;

/// <summary>An S3 operation failed; the message names the s3:// URI, the failure and what would fix it.</summary>
public sealed class S3StorageException(S3Failure failure, S3Uri uri, string message, Exception? inner = null) : Exception(message, inner)
{
    public S3Failure Failure { get; } = failure;

    /// <summary>The object, prefix or bucket the operation was about.</summary>
    public S3Uri Uri { get; } = uri;
}
