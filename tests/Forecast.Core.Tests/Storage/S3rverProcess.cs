using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Forecast.Core.Storage;

namespace Forecast.Core.Tests.Storage;

/// <summary>
/// A real s3rver (npm s3rver 3.7.1, installed by `npm ci --prefix tests/s3rver`) on a free 127.0.0.1 port with a
/// temporary data folder. It checks SigV4 signatures against its one account, S3RVER / S3RVER. Can be killed and
/// restarted on the same port and folder to test outages.
/// </summary>
public sealed class S3rverProcess : IAsyncDisposable
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly string _script;
    private Process? _process;
    private readonly List<string> _output = [];

    private S3rverProcess(string script, int port, string dataDirectory)
    {
        _script = script;
        Port = port;
        DataDirectory = dataDirectory;
    }

    public int Port { get; }

    public string DataDirectory { get; }

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    public static AWSCredentials Credentials => new BasicAWSCredentials(AccessKey, SecretKey);

    public static async Task<S3rverProcess> StartAsync(CancellationToken cancellationToken = default)
    {
        string dataDirectory = Directory.CreateTempSubdirectory("forecast-s3rver-").FullName;
        var server = new S3rverProcess(FindScript(), FreePort(), dataDirectory);
        await server.RestartAsync(cancellationToken);
        return server;
    }

    /// <summary>A free loopback port: bind port 0, read the port the OS gave, release it.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>(Re)starts s3rver on <see cref="Port"/> and <see cref="DataDirectory"/> and waits until it accepts connections.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("s3rver is already running.");
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node 17+) only offers through
        // its legacy provider; without it every listing longer than one page fails with 500 ERR_OSSL_EVP_UNSUPPORTED.
        foreach (string arg in new[] { "--openssl-legacy-provider", _script, "--silent", "--directory", DataDirectory, "--address", "127.0.0.1", "--port", Port.ToString() })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node for s3rver.");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.Add(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_output) _output.Add(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"s3rver exited with code {_process.ExitCode}: {string.Join(Environment.NewLine, _output)}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
        throw new TimeoutException($"s3rver did not listen on {ServiceUrl} within 30 s: {string.Join(Environment.NewLine, _output)}");
    }

    /// <summary>Kills s3rver at once (SIGKILL), as a crash would, leaving its data folder as it is.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Options for a client of this server; tests shorten the retry budget where they wait on failures.</summary>
    public S3StorageOptions Options(bool emulatorMode = true) => new()
    {
        ServiceUrl = ServiceUrl,
        EmulatorMode = emulatorMode,
        MaxAttempts = 3,
        RetryBaseDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryDelay = TimeSpan.FromMilliseconds(200),
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    public S3ObjectStorage CreateStorage(S3StorageOptions? options = null, AWSCredentials? credentials = null) =>
        S3ObjectStorage.Create(options ?? Options(), credentials ?? Credentials);

    /// <summary>Creates a bucket with a fresh name, so tests sharing one server never see each other's objects.</summary>
    public async Task<S3Uri> NewBucketAsync(CancellationToken cancellationToken = default)
    {
        var bucket = new S3Uri($"test-{Guid.NewGuid():N}"[..30], "");
        using var storage = CreateStorage();
        await storage.EnsureBucketAsync(bucket, cancellationToken);
        return bucket;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>tests/s3rver/node_modules/s3rver/bin/s3rver.js, found by walking up from the test binaries to the repo.</summary>
    private static string FindScript()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string package = Path.Combine(folder.FullName, "tests", "s3rver");
            if (!Directory.Exists(package)) continue;
            string script = Path.Combine(package, "node_modules", "s3rver", "bin", "s3rver.js");
            return File.Exists(script)
                ? script
                : throw new FileNotFoundException($"s3rver is not installed: {script} is missing. Run `npm ci --prefix {package}` (.ci/run does).", script);
        }
        throw new DirectoryNotFoundException($"No tests/s3rver folder above {AppContext.BaseDirectory}.");
    }
}
