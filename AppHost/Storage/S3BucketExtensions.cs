using Forecast.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Forecast.AppHost.Storage;

/// <summary>Adds the bucket step: create the bucket when the emulator is healthy and upload the seed files once.</summary>
public static class S3BucketExtensions
{
    public static IResourceBuilder<S3BucketResource> AddS3Bucket(this IDistributedApplicationBuilder builder, string name, S3Emulator emulator,
        string bucket, IReadOnlyDictionary<string, string> seedFiles)
    {
        var resource = new S3BucketResource(name, bucket, emulator.Resource.Resource);
        return builder.AddResource(resource)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "S3Bucket",
                State = KnownResourceStates.Waiting,
                Properties = [new ResourcePropertySnapshot("s3.uri", $"s3://{bucket}")],
            })
            // The manifest describes deployable resources; on AWS the bucket is infrastructure, not a step of the app.
            .ExcludeFromManifest()
            .OnInitializeResource(async (bucketResource, e, cancellationToken) =>
            {
                await e.Notifications.WaitForResourceHealthyAsync(emulator.Resource.Resource.Name, cancellationToken);
                await e.Notifications.PublishUpdateAsync(bucketResource, s => s with { State = KnownResourceStates.Starting });
                try
                {
                    int seeded = await CreateAndSeedAsync(emulator, bucket, seedFiles, cancellationToken);
                    e.Logger.LogInformation("Bucket s3://{Bucket} is ready ({Seeded} seed files uploaded)", bucket, seeded);
                    await e.Notifications.PublishUpdateAsync(bucketResource, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow });
                }
                catch (Exception error) when (error is S3StorageException or IOException)
                {
                    // Fail loudly: resources waiting on the bucket stop waiting and show why.
                    e.Logger.LogError(error, "Bucket s3://{Bucket} could not be created: {Message}", bucket, error.Message);
                    await e.Notifications.PublishUpdateAsync(bucketResource, s => s with { State = KnownResourceStates.FailedToStart });
                }
            });
    }

    private static async Task<int> CreateAndSeedAsync(S3Emulator emulator, string bucket, IReadOnlyDictionary<string, string> seedFiles, CancellationToken cancellationToken)
    {
        using var storage = S3ObjectStorage.Create(emulator.ClientOptions(), new Amazon.Runtime.BasicAWSCredentials(emulator.AccessKeyId, emulator.SecretAccessKey));
        var root = new S3Uri(bucket, "");
        await storage.EnsureBucketAsync(root, cancellationToken);
        int seeded = 0;
        foreach (var (key, file) in seedFiles)
        {
            // Seed once: a user's own edits to the bucket's config or data survive a restart of the stack.
            if (await storage.TryReadAllBytesAsync(root.Append(key), cancellationToken) is not null) continue;
            await storage.UploadAsync(root.Append(key), await File.ReadAllBytesAsync(file, cancellationToken), cancellationToken);
            seeded++;
        }
        return seeded;
    }
}
