namespace Forecast.AppHost.Storage;

/// <summary>
/// A bucket in the S3 emulator, shown as its own step in the dashboard (emulator, then bucket, then Trainer): it
/// starts when the emulator is healthy, creates the bucket, seeds it, and is Running once the Trainer may use it.
/// </summary>
public sealed class S3BucketResource(string name, string bucketName, IResourceWithEndpoints emulator)
    : Resource(name), IResourceWithParent<IResourceWithEndpoints>
{
    public string BucketName { get; } = bucketName;

    /// <summary>The emulator that holds the bucket.</summary>
    public IResourceWithEndpoints Parent { get; } = emulator;
}
