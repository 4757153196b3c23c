using Forecast.Core.Storage;
using Microsoft.Extensions.Configuration;

namespace Forecast.AppHost.Storage;

/// <summary>
/// The S3 emulator resource: the LocalStack container or the s3rver executable, each with an HTTP health check, so
/// that "healthy" means "S3 answers" (LocalStack: /_localstack/health; s3rver: an anonymous ListBuckets on /).
/// </summary>
public static class S3EmulatorExtensions
{
    /// <summary>LocalStack pinned by tag (its 'latest' needs LOCALSTACK_AUTH_TOKEN from 2026-03 on; so may this one).</summary>
    public const string LocalStackImage = "localstack/localstack";
    public const string LocalStackTag = "4.9.2";

    public static S3Emulator AddS3Emulator(this IDistributedApplicationBuilder builder, string name, StorageMode mode)
    {
        if (mode == StorageMode.LocalStack)
        {
            var token = builder.AddParameter("localstack-auth-token", secret: true);
            var localstack = builder.AddContainer(name, LocalStackImage, LocalStackTag)
                .WithEnvironment("SERVICES", "s3")
                .WithEnvironment("LOCALSTACK_AUTH_TOKEN", token)
                .WithHttpEndpoint(targetPort: 4566, name: "http")
                .WithHttpHealthCheck("/_localstack/health");
            return new S3Emulator(localstack, localstack.GetEndpoint("http"), mode, EmulatorMode: false, "test", "test");
        }

        string script = S3rverScript(builder);
        string data = builder.Configuration["Storage:S3rver:DataDirectory"] is { Length: > 0 } configured
            ? configured
            : DefaultDataDirectory(builder.AppHostDirectory);
        int port = int.TryParse(builder.Configuration["Storage:S3rver:Port"], out int fixedPort) ? fixedPort : FreePort();
        // Not proxied: s3rver binds the port itself, and clients (the Trainer, tests) reach it directly on 127.0.0.1.
        var s3rver = builder.AddExecutable(name, "node", Path.GetDirectoryName(script)!,
                // s3rver's ListObjectsV2 continuation tokens use DES, which Node 17+ only has in OpenSSL's legacy provider.
                "--openssl-legacy-provider", script, "--silent", "--directory", data, "--address", "127.0.0.1", "--port", port.ToString())
            .WithHttpEndpoint(port: port, targetPort: port, name: "http", isProxied: false)
            .WithHttpHealthCheck("/");
        return new S3Emulator(s3rver, s3rver.GetEndpoint("http"), StorageMode.S3rver, EmulatorMode: true, "S3RVER", "S3RVER");
    }

    public static S3StorageOptions ClientOptions(this S3Emulator emulator) => new()
    {
        ServiceUrl = emulator.Endpoint.Url,
        EmulatorMode = emulator.EmulatorMode,
        ForcePathStyle = true,
        MaxAttempts = 2,
        RetryBaseDelay = TimeSpan.FromMilliseconds(100),
        MaxRetryDelay = TimeSpan.FromMilliseconds(200),
        RequestTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>
    /// $TMPDIR/forecast-s3rver-&lt;user&gt;-&lt;hash of this clone's path&gt;: kept across runs of the stack (the bucket and its
    /// runs survive a restart), and never shared by two users or two clones on one machine.
    /// </summary>
    public static string DefaultDataDirectory(string appHostDirectory)
    {
        string clone = Path.GetFullPath(Path.Combine(appHostDirectory, ".."));
        string hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(clone)))[..12];
        string user = string.Concat(Environment.UserName.Where(char.IsAsciiLetterOrDigit));
        return Path.Combine(Path.GetTempPath(), $"forecast-s3rver-{(user.Length > 0 ? user : "user")}-{hash}");
    }

    /// <summary>tests/s3rver/node_modules/s3rver/bin/s3rver.js above the AppHost (AppHost.csproj's build installs it), or an error saying how to.</summary>
    private static string S3rverScript(IDistributedApplicationBuilder builder)
    {
        string package = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "tests", "s3rver"));
        string script = Path.Combine(package, "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
            throw new InvalidOperationException($"Storage:Mode resolved to s3rver, but {script} is missing (the AppHost's build installs it with npm): build again, or run `npm ci --prefix {package}`.");
        return script;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
