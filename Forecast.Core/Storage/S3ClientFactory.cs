using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Forecast.Core.Storage;

/// <summary>
/// Builds the one <see cref="IAmazonS3"/> of a process from <see cref="S3StorageOptions"/>. Credentials come from the
/// standard AWS chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, the ECS task role) unless a caller passes
/// them (tests); they are never logged or put in an error message.
/// </summary>
public static class S3ClientFactory
{
    public static IAmazonS3 Create(S3StorageOptions options, AWSCredentials? credentials = null)
    {
        options.Validate();
        var config = new AmazonS3Config
        {
            // Our S3Retry does the long, jittered backoff across outages; the SDK only retries quick blips itself.
            RetryMode = RequestRetryMode.Standard,
            MaxErrorRetry = 2,
            Timeout = options.RequestTimeout,
            ForcePathStyle = options.UsesPathStyle,
        };
        if (options.ServiceUrl is null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }

        if (!options.EmulatorMode)
            return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);

        // Emulator mode (issue 5): no default CRC trailers on requests, no validation of checksums emulators do not send.
        config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
        config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        return credentials is null ? new EmulatorS3Client(config) : new EmulatorS3Client(credentials, config);
    }
}
