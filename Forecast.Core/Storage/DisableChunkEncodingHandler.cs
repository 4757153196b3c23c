using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace Forecast.Core.Storage;

/// <summary>
/// Emulator mode: turns off aws-chunked request bodies before the request is signed. AWSSDK.S3 4.x streams PutObject
/// and UploadPart bodies as aws-chunked with trailing checksums, even over plain HTTP; s3rver does not decode that
/// framing and stores it as the object's content (silent corruption). With UseChunkEncoding off the signer hashes the
/// whole payload instead (SigV4 single-chunk), which every S3 implementation accepts.
/// Placed just before the SDK's Signer handler (see <see cref="EmulatorS3Client"/>), i.e. after marshalling set the flag.
/// </summary>
internal sealed class DisableChunkEncodingHandler : PipelineHandler
{
    public override void InvokeSync(IExecutionContext executionContext)
    {
        Disable(executionContext);
        base.InvokeSync(executionContext);
    }

    public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        Disable(executionContext);
        return base.InvokeAsync<T>(executionContext);
    }

    private static void Disable(IExecutionContext executionContext) => executionContext.RequestContext.Request.UseChunkEncoding = false;
}
