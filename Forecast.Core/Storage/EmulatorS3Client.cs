using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.S3;

namespace Forecast.Core.Storage;

/// <summary>An S3 client for emulators: the SDK pipeline plus <see cref="DisableChunkEncodingHandler"/> before signing.</summary>
internal sealed class EmulatorS3Client : AmazonS3Client
{
    public EmulatorS3Client(AmazonS3Config config) : base(config) { }

    public EmulatorS3Client(AWSCredentials credentials, AmazonS3Config config) : base(credentials, config) { }

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        pipeline.AddHandlerBefore<Signer>(new DisableChunkEncodingHandler());
    }
}
