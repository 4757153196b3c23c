using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;

namespace Forecast.Core.Storage;

/// <summary>Turns SDK exceptions into <see cref="S3StorageException"/>s that name the URI, and tells transient ones apart.</summary>
internal static class S3Errors
{
    public static S3StorageException Translate(Exception error, S3Uri uri, string operation, string? endpoint)
    {
        if (error is S3StorageException already) return already;
        string where = endpoint is null ? "AWS S3" : endpoint;
        if (IsUnreachable(error))
            return new S3StorageException(S3Failure.EndpointUnreachable, uri,
                $"Cannot {operation} {uri}: the S3 endpoint {where} did not answer ({Innermost(error).Message}). " +
                "Start the emulator or check Storage:S3:ServiceUrl and the network.", error);
        if (error is AmazonS3Exception s3)
        {
            switch (s3.ErrorCode)
            {
                case "NoSuchBucket":
                    return new S3StorageException(S3Failure.BucketNotFound, uri,
                        $"Cannot {operation} {uri}: bucket '{uri.Bucket}' does not exist at {where}. Create it or fix the bucket name.", error);
                case "NoSuchKey":
                    return ObjectNotFound(uri, operation, error);
                case "AccessDenied" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "AllAccessDisabled" or "ExpiredToken" or "InvalidToken":
                    return new S3StorageException(S3Failure.AccessDenied, uri,
                        $"Cannot {operation} {uri}: access denied ({s3.ErrorCode}). Check the AWS credentials " +
                        "(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or the task role) and the bucket policy.", error);
            }
            if (s3.StatusCode == HttpStatusCode.Forbidden)
                return new S3StorageException(S3Failure.AccessDenied, uri,
                    $"Cannot {operation} {uri}: access denied (HTTP 403 {s3.ErrorCode}). Check the AWS credentials and the bucket policy.", error);
            return new S3StorageException(S3Failure.ServiceError, uri,
                $"Cannot {operation} {uri}: S3 answered {(int)s3.StatusCode} {s3.ErrorCode}: {s3.Message}", error);
        }
        if (error is AmazonServiceException service && service.StatusCode == HttpStatusCode.Forbidden)
            return new S3StorageException(S3Failure.AccessDenied, uri, $"Cannot {operation} {uri}: access denied ({service.ErrorCode}).", error);
        if (error is AmazonClientException && error.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase))
            return new S3StorageException(S3Failure.AccessDenied, uri,
                $"Cannot {operation} {uri}: no AWS credentials were found ({error.Message}). Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or run with a task role.", error);
        return new S3StorageException(S3Failure.ServiceError, uri, $"Cannot {operation} {uri}: {Innermost(error).Message}", error);
    }

    public static S3StorageException ObjectNotFound(S3Uri uri, string operation, Exception? error = null) =>
        new(S3Failure.ObjectNotFound, uri, $"Cannot {operation} {uri}: no such object. Check the key (S3 keys are case-sensitive).", error);

    /// <summary>
    /// Worth retrying: the endpoint did not answer, the connection broke, the request timed out, or S3 said 5xx/429
    /// (throttling). 4xx answers (missing bucket, access denied) will not change by waiting.
    /// </summary>
    public static bool IsTransient(Exception error) => error switch
    {
        S3StorageException s => s.Failure is S3Failure.EndpointUnreachable || (s.InnerException is { } inner && IsTransient(inner)),
        AmazonServiceException service when service.StatusCode is HttpStatusCode.TooManyRequests || (int)service.StatusCode >= 500 => true,
        AmazonServiceException service when service.ErrorCode is "SlowDown" or "RequestTimeout" or "InternalError" => true,
        _ => IsUnreachable(error),
    };

    private static bool IsUnreachable(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException or SocketException or IOException or TimeoutException) return true;
            if (e is AmazonServiceException { StatusCode: >= HttpStatusCode.BadRequest }) return false;
            if (e is TaskCanceledException { InnerException: TimeoutException }) return true;
        }
        return false;
    }

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is not null) error = error.InnerException;
        return error;
    }
}
