namespace Forecast.Core.Storage;

/// <summary>What went wrong talking to S3, so callers and tests can tell the cases apart without parsing messages.</summary>
public enum S3Failure
{
    /// <summary>The bucket does not exist (NoSuchBucket).</summary>
    BucketNotFound,

    /// <summary>The object does not exist (NoSuchKey).</summary>
    ObjectNotFound,

    /// <summary>The credentials are unknown, wrong or not allowed (AccessDenied, InvalidAccessKeyId, SignatureDoesNotMatch).</summary>
    AccessDenied,

    /// <summary>The endpoint did not answer (connection refused or reset, DNS, timeout) after every retry.</summary>
    EndpointUnreachable,

    /// <summary>Any other error the service returned.</summary>
    ServiceError,
}
