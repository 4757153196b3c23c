using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using Forecast.Core.Artifacts;
using Forecast.Core.Storage;

// Throughput of our S3 layer (S3ObjectStorage: retries, named errors, emulator mode) against the bare AWS SDK calls it
// wraps (PutObject / TransferUtility / GetObject on the same client), on a local s3rver; a local folder for scale.
// Ratio = ours / SDK time (1.00 = no overhead). Each case is the median of 7 rounds after one warm-up.
const int Rounds = 7;
string script = FindS3rver();
int port = FreePort();
string data = Directory.CreateTempSubdirectory("bench-s3rver-").FullName;
using var s3rver = Process.Start(new ProcessStartInfo("node")
{
    ArgumentList = { "--openssl-legacy-provider", script, "--silent", "--directory", data, "--address", "127.0.0.1", "--port", port.ToString() },
    RedirectStandardOutput = true,
})!;
try
{
    await WaitForPortAsync(port);
    var options = new S3StorageOptions { ServiceUrl = $"http://127.0.0.1:{port}", EmulatorMode = true };
    var credentials = new BasicAWSCredentials("S3RVER", "S3RVER");
    var client = S3ClientFactory.Create(options, credentials);
    using var ours = new S3ObjectStorage(client, options);
    using var transfer = new TransferUtility(client, new TransferUtilityConfig { MinSizeBeforePartUpload = options.MultipartThresholdBytes });
    var bucket = S3Uri.Parse("s3://bench");
    await ours.EnsureBucketAsync(bucket);
    string localRoot = Directory.CreateTempSubdirectory("bench-local-").FullName;
    var local = new LocalFolderArtifactStore(localRoot);

    Console.WriteLine("| case | objects × size | ours (ms) | AWS SDK (ms) | ratio | ours MB/s | local folder (ms) |");
    Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    foreach (var (count, size) in new[] { (200, 1 << 10), (20, 1 << 20), (4, 32 << 20) })
    {
        var payload = new byte[size];
        new Random(size).NextBytes(payload);
        string label = $"{count} × {Human(size)}";
        string Key(string who, int round, int i) => $"{who}/{size}/{round}/{i}.bin";

        var (upOurs, upSdk) = MedianPair(
            r => ForAll(count, i => ours.UploadAsync(bucket.Append(Key("ours", r, i)), payload)),
            r => ForAll(count, i => size < options.MultipartThresholdBytes
                ? client.PutObjectAsync(new PutObjectRequest { BucketName = "bench", Key = Key("sdk", r, i), InputStream = new MemoryStream(payload), AutoCloseStream = true })
                : transfer.UploadAsync(new TransferUtilityUploadRequest { BucketName = "bench", Key = Key("sdk", r, i), InputStream = new MemoryStream(payload), PartSize = options.PartSizeBytes })));
        double upLocal = Median(r => ForAll(count, i => local.PutAsync(Key("local", r, i), payload)));
        Row("upload", label, upOurs, upSdk, count * (double)size, upLocal);

        var (downOurs, downSdk) = MedianPair(
            r => ForAll(count, async i => Check(await ours.ReadAllBytesAsync(bucket.Append(Key("ours", 0, i))), payload)),
            r => ForAll(count, async i =>
            {
                using var response = await client.GetObjectAsync("bench", Key("sdk", 0, i));
                var buffer = new MemoryStream();
                await response.ResponseStream.CopyToAsync(buffer);
                Check(buffer.ToArray(), payload);
            }));
        double downLocal = Median(r => ForAll(count, async i => Check((await local.GetAsync(Key("local", 0, i)))!, payload)));
        Row("download", label, downOurs, downSdk, count * (double)size, downLocal);
    }

    // A whole run commit as the Trainer writes it: 16 files (config, yaml reports, forecasts, 9 plots), manifest last.
    var files = Enumerable.Range(0, 16).Select(i => (Path: $"file-{i}.bin", Bytes: new byte[i < 9 ? 60_000 : 4_000])).ToList();
    double commitS3 = Median(r => CommitAsync(new S3ArtifactStore(ours, bucket.Append("commits")), files));
    double commitLocal = Median(r => CommitAsync(local, files));
    Console.WriteLine($"| run commit (RunWriter) | 16 files + manifest | {commitS3:F1} | – | – | – | {commitLocal:F1} |");
    Directory.Delete(localRoot, recursive: true);
}
finally
{
    s3rver.Kill(entireProcessTree: true);
    s3rver.WaitForExit();
    Directory.Delete(data, recursive: true);
}

static async Task CommitAsync(IArtifactStore store, List<(string Path, byte[] Bytes)> files)
{
    var writer = new RunWriter(store, RunIds.New("bench", DateTime.UtcNow));
    foreach (var (path, bytes) in files) await writer.PutAsync(path, bytes);
    await writer.CommitAsync();
}

// Rounds of the two contenders alternate, so a noisy neighbour on this shared 2-core machine hits both alike.
static (double First, double Second) MedianPair(Func<int, Task> first, Func<int, Task> second)
{
    first(-1).GetAwaiter().GetResult();
    second(-1).GetAwaiter().GetResult();
    var a = new List<double>();
    var b = new List<double>();
    for (int round = 0; round < Rounds; round++)
    {
        var clock = Stopwatch.StartNew();
        first(round).GetAwaiter().GetResult();
        a.Add(clock.Elapsed.TotalMilliseconds);
        clock.Restart();
        second(round).GetAwaiter().GetResult();
        b.Add(clock.Elapsed.TotalMilliseconds);
    }
    a.Sort();
    b.Sort();
    return (a[Rounds / 2], b[Rounds / 2]);
}

static double Median(Func<int, Task> run)
{
    run(-1).GetAwaiter().GetResult(); // warm-up: connections, JIT
    var times = new List<double>();
    for (int round = 0; round < Rounds; round++)
    {
        var clock = Stopwatch.StartNew();
        run(round).GetAwaiter().GetResult();
        times.Add(clock.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    return times[Rounds / 2];
}

// One object after another, as the pipeline writes a run (RunWriter puts sequentially).
static async Task ForAll(int count, Func<int, Task> action)
{
    for (int i = 0; i < count; i++) await action(i);
}

static void Check(byte[] read, byte[] expected)
{
    if (!read.AsSpan().SequenceEqual(expected)) throw new InvalidDataException("The bytes read back differ from the bytes written.");
}

static void Row(string operation, string label, double ours, double sdk, double bytes, double local) =>
    Console.WriteLine($"| {operation} | {label} | {ours:F1} | {sdk:F1} | {ours / sdk:F2} | {bytes / (1 << 20) / (ours / 1000):F1} | {local:F1} |");

static string Human(int size) => size >= 1 << 20 ? $"{size >> 20} MiB" : $"{size >> 10} KiB";

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static async Task WaitForPortAsync(int port)
{
    for (int i = 0; i < 300; i++)
    {
        try
        {
            using var probe = new TcpClient();
            await probe.ConnectAsync(IPAddress.Loopback, port);
            return;
        }
        catch (SocketException)
        {
            await Task.Delay(100);
        }
    }
    throw new TimeoutException($"s3rver did not listen on 127.0.0.1:{port}.");
}

static string FindS3rver()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        string script = Path.Combine(folder.FullName, "tests", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        if (File.Exists(script)) return script;
    }
    throw new FileNotFoundException("s3rver is not installed; run `npm ci --prefix tests/s3rver` first.");
}
