namespace Forecast.AppHost.Storage;

/// <summary>
/// The S3 the stack runs and how a client must talk to it: the endpoint, emulator mode (s3rver only; LocalStack
/// decodes aws-chunked bodies and keeps the SDK defaults) and the emulator's fixed, non-secret credentials.
/// </summary>
public sealed record S3Emulator(
    IResourceBuilder<IResourceWithEndpoints> Resource,
    EndpointReference Endpoint,
    StorageMode Mode,
    bool EmulatorMode,
    string AccessKeyId,
    string SecretAccessKey);
