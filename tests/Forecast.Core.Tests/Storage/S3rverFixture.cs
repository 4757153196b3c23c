namespace Forecast.Core.Tests.Storage;

/// <summary>One s3rver for the storage tests that do not stop it (fault tests start their own).</summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    private S3rverProcess? _server;

    public S3rverProcess Server => _server ?? throw new InvalidOperationException("s3rver has not started.");

    public async Task InitializeAsync() => _server = await S3rverProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverFixture>
{
    public const string Name = "s3rver";
}
