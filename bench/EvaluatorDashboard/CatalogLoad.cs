extern alias trainer;

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Forecast.Core.Artifacts;
using Forecast.Core.Storage;
using trainer::Forecast.Trainer.Cli;

namespace Forecast.Bench.EvaluatorDashboard;

/// <summary>
/// `catalog` mode: the run catalog under HTTP load (--runs 0 or --s3-runs 0 skips that store). Writes N committed runs with RunWriter (the Trainer's own commit:
/// files, manifest, index entry), copies of real Trainer runs under new ids across datasets and models, every
/// <see cref="ManyFilesEvery"/>th with 1,435 model files as a Prophet run over 1,428 series has; starts the real
/// Evaluator and Dashboard processes (Production) on them; times the first list (cold start); then wrk at 50
/// connections on the list and leaderboard endpoints and pages (and /alive, the host's own tail), warm-up first;
/// resident memory of each service.
/// Needs wrk (Debian: apt-get install wrk) and, for S3, s3rver (npm ci --prefix tests/s3rver).
/// </summary>
internal static class CatalogLoad
{
    private const int ManyFilesEvery = 100;
    private const int ModelFiles = 1_435;
    private static readonly string[] Datasets = [.. Enumerable.Range(0, 25).Select(i => $"dataset_{i:00}")];
    private static readonly string[] Models = ["seasonal_naive", "naive", "prophet", "chronos/bolt@amazon/chronos-bolt-small"];

    public static async Task<int> RunAsync(string[] args)
    {
        int localRuns = Option(args, "--runs", 10_000), s3Runs = Option(args, "--s3-runs", 1_000), seconds = Option(args, "--seconds", 15);
        string repo = Repository();
        string root = Path.Combine(Path.GetTempPath(), "forecast-bench-catalog");
        Directory.CreateDirectory(root);
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores; load average {LoadAverage()}");

        var template = await TemplateRunAsync(root);
        string local = Path.Combine(root, $"local-{localRuns}");
        if (localRuns > 0 && !File.Exists(Path.Combine(local, "complete")))
        {
            if (Directory.Exists(local)) Directory.Delete(local, recursive: true);
            var watch = Stopwatch.StartNew();
            await GenerateAsync(new LocalFolderArtifactStore(local), template, localRuns);
            await File.WriteAllTextAsync(Path.Combine(local, "complete"), "");
            Console.WriteLine(FormattableString.Invariant($"generated {localRuns} runs on local disk in {watch.Elapsed.TotalSeconds:F0} s (setup)"));
        }
        if (localRuns > 0)
        {
            Console.WriteLine($"local disk, {localRuns} runs ({CountFiles(Path.Combine(local, "runs"))} files under runs/)");
            await MeasureServicesAsync(repo, new Dictionary<string, string> { ["ArtifactStore__Root"] = local, ["Dashboard__ArtifactRoot"] = local }, seconds);
        }

        if (s3Runs > 0)
        {
            await using var s3rver = await S3rver.StartAsync(repo, Path.Combine(root, "s3rver"));
            var options = new S3StorageOptions { ServiceUrl = s3rver.Url, EmulatorMode = true };
            using var storage = S3ObjectStorage.Create(options, new Amazon.Runtime.BasicAWSCredentials("S3RVER", "S3RVER"));
            var bucket = S3Uri.Parse($"s3://bench-{s3Runs}");
            await storage.EnsureBucketAsync(bucket);
            var store = new S3ArtifactStore(storage, bucket.Append("forecasts"));
            if (await store.GetInfoAsync("complete") is null)
            {
                var watch = Stopwatch.StartNew();
                await GenerateAsync(store, template, s3Runs);
                await store.PutAsync("complete", Array.Empty<byte>());
                Console.WriteLine(FormattableString.Invariant($"generated {s3Runs} runs on s3rver in {watch.Elapsed.TotalSeconds:F0} s (setup)"));
            }
            Console.WriteLine($"s3rver, {s3Runs} runs");
            string uri = $"s3://{bucket.Bucket}/forecasts";
            await MeasureServicesAsync(repo, new Dictionary<string, string>
            {
                ["ArtifactStore__Root"] = uri, ["Dashboard__ArtifactRoot"] = uri,
                ["Storage__S3__ServiceUrl"] = s3rver.Url, ["Storage__S3__EmulatorMode"] = "true",
                ["AWS_ACCESS_KEY_ID"] = "S3RVER", ["AWS_SECRET_ACCESS_KEY"] = "S3RVER",
            }, seconds);
        }
        return 0;
    }

    /// <summary>A real Trainer run on the shipped sample (plots and EDA on): ~35 files.</summary>
    private static async Task<(string Folder, string RunId)> TemplateRunAsync(string root)
    {
        string output = Path.Combine(root, "template");
        var store = new LocalFolderArtifactStore(output);
        if ((await RunCatalog.ListCommittedAsync(store)).FirstOrDefault() is { } existing) return (output, existing.RunId);
        int code = await TrainerCli.RunAsync(["--config", Path.Combine(Repository(), "config", "default-config.yaml"), "--set", $"run.output={output}",
            "--set", $"data.path={Path.Combine(Repository(), "sample-data", "rdatasets_monthly.csv")}"], TextWriter.Null, Console.Error, interactive: false);
        if (code != 0) throw new InvalidOperationException($"the Trainer failed with exit code {code}");
        return (output, (await RunCatalog.ListCommittedAsync(store)).Single().RunId);
    }

    /// <summary>Commits <paramref name="count"/> copies of the template with RunWriter, datasets and models varied in metrics.yaml.</summary>
    private static async Task GenerateAsync(IArtifactStore store, (string Folder, string RunId) template, int count)
    {
        var source = new LocalFolderArtifactStore(template.Folder);
        var manifest = (await RunCatalog.GetAsync(source, template.RunId))!;
        var files = new List<(string Path, byte[] Bytes)>();
        foreach (var file in manifest.Files) files.Add((file.Path, (await source.GetAsync(RunIds.Prefix(template.RunId) + file.Path))!));
        string metrics = System.Text.Encoding.UTF8.GetString(files.Single(f => f.Path == RunReader.MetricsFile).Bytes);
        var start = new DateTime(2025, 1, 1, 2, 0, 0, DateTimeKind.Utc);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var started = start.AddHours(i);
            string dataset = Datasets[i % Datasets.Length], model = Models[i / Datasets.Length % Models.Length];
            var writer = new RunWriter(store, RunIds.New("nightly", started), new FixedClock(started));
            var random = new Random(i);
            foreach (var (path, bytes) in files)
            {
                if (path != RunReader.MetricsFile) { await writer.PutAsync(path, bytes, ct); continue; }
                string varied = Regex.Replace(metrics, @"(?m)^(  name: ).*$", $"${{1}}{dataset}", RegexOptions.None, TimeSpan.FromSeconds(1));
                varied = Regex.Replace(varied, @"(?m)^(  model: ).*$", $"${{1}}{model}", RegexOptions.None, TimeSpan.FromSeconds(1));
                varied = Regex.Replace(varied, @"(?m)^(    (mase|wql): )([0-9.]+)$",
                    m => m.Groups[1].Value + (double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) * (0.8 + 0.4 * random.NextDouble())).ToString("R", CultureInfo.InvariantCulture),
                    RegexOptions.None, TimeSpan.FromSeconds(1));
                await writer.PutTextAsync(path, varied, ct);
            }
            if (i % ManyFilesEvery == 0)
                for (int f = 0; f < ModelFiles; f++) await writer.PutAsync($"model/prophet/s{f:0000}.json", "{\"k\":1}"u8.ToArray(), ct);
            await writer.CommitAsync(ct);
        });
    }

    private static async Task MeasureServicesAsync(string repo, Dictionary<string, string> environment, int seconds)
    {
        foreach (var (name, project, dll, paths) in new[]
        {
            ("Evaluator", "Evaluator", "Forecast.Evaluator.dll", new[] { "/api/runs?pageSize=20", "/api/leaderboard", "/api/runs?pageSize=20&dataset=dataset_03&model=prophet" }),
            ("Dashboard", "Dashboard", "Forecast.Dashboard.dll", new[] { "/", "/Leaderboard" }),
        })
        {
            int port = FreePort();
            string url = $"http://127.0.0.1:{port}";
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.Combine(repo, project), RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Path.Combine(repo, project, "bin", "Release", "net10.0", dll));
            foreach (var (key, value) in environment) start.Environment[key] = value;
            start.Environment["ASPNETCORE_URLS"] = url;
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            start.Environment["Logging__LogLevel__Forecast.Core.Artifacts.Catalog.RunCatalogCache"] = "Information";
            var log = new List<string>();
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.Add(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.Add(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
                while (true)
                {
                    if (process.HasExited) throw new InvalidOperationException($"{name} exited: {string.Join('\n', log)}");
                    try { if ((await http.GetAsync("/alive")).IsSuccessStatusCode) break; } catch (HttpRequestException) { }
                    await Task.Delay(50);
                }
                double up = watch.Elapsed.TotalMilliseconds;
                var first = Stopwatch.StartNew();
                var response = await http.GetAsync(paths[0]);
                response.EnsureSuccessStatusCode();
                Console.WriteLine(FormattableString.Invariant($"  {name}: process answering after {up:F0} ms; first {paths[0]} (cold catalog) {first.Elapsed.TotalMilliseconds:F0} ms; RSS {Rss(process.Id)}"));
                // /alive first: the same process answering without any work of ours, so the tail latency the host
                // alone adds (scheduling under load) is measured next to the endpoints'.
                foreach (string path in paths.Prepend("/alive"))
                {
                    var probe = await http.GetAsync(path);
                    probe.EnsureSuccessStatusCode();
                    long bytes = (await probe.Content.ReadAsByteArrayAsync()).Length;
                    Wrk(url + path, 5); // warm-up
                    var result = Wrk(url + path, seconds);
                    Console.WriteLine($"  {name} GET {path} ({bytes:N0} bytes): {result}; load average {LoadAverage()}");
                }
                Console.WriteLine($"  {name}: RSS after load {Rss(process.Id)}");
                lock (log) foreach (string line in log.Where(l => l.Contains("Run catalog", StringComparison.Ordinal)).Take(3)) Console.WriteLine($"    log: {line.Trim()}");
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    /// <summary>wrk, 2 threads, 50 connections: requests/s, p50, p99, errors.</summary>
    private static string Wrk(string url, int seconds)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in new[] { "-t2", "-c50", $"-d{seconds}s", "--latency", "--timeout", "10s", url }) start.ArgumentList.Add(arg);
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException("wrk is not installed: apt-get install wrk", e); }
        string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        string Find(string pattern) => Regex.Match(output, pattern, RegexOptions.Multiline, TimeSpan.FromSeconds(1)) is { Success: true } m ? m.Groups[1].Value : "?";
        string socketErrors = Find(@"Socket errors: (.*)$"), errors = socketErrors == "?" ? "none" : socketErrors;
        string non2xx = Find(@"Non-2xx or 3xx responses: (\d+)");
        return $"{Find(@"Requests/sec:\s+([0-9.]+)")} req/s, p50 {Find(@"^\s+50%\s+(\S+)")}, p99 {Find(@"^\s+99%\s+(\S+)")}, socket errors {errors}, non-2xx {(non2xx == "?" ? "0" : non2xx)}";
    }

    private static string Rss(int pid)
    {
        string status = File.ReadAllText($"/proc/{pid}/status");
        string Field(string name) => Regex.Match(status, $@"^{name}:\s+(\d+) kB", RegexOptions.Multiline, TimeSpan.FromSeconds(1)).Groups[1].Value;
        return FormattableString.Invariant($"{long.Parse(Field("VmRSS"), CultureInfo.InvariantCulture) / 1024} MiB (peak {long.Parse(Field("VmHWM"), CultureInfo.InvariantCulture) / 1024} MiB)");
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static int CountFiles(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count();

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string Repository()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Forecast.sln"))) return folder.FullName;
        throw new DirectoryNotFoundException("Run the benchmark from the repository (no Forecast.sln above the binaries).");
    }

    private sealed class FixedClock(DateTime utc) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(utc.AddMinutes(3), TimeSpan.Zero);
    }

    /// <summary>s3rver (tests/s3rver, npm ci first) on a free port with a persistent data folder, as the tests start it.</summary>
    private sealed class S3rver : IAsyncDisposable
    {
        private readonly Process _process;

        private S3rver(Process process, string url)
        {
            _process = process;
            Url = url;
        }

        public string Url { get; }

        public static async Task<S3rver> StartAsync(string repo, string data)
        {
            string script = Path.Combine(repo, "tests", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
            if (!File.Exists(script)) throw new FileNotFoundException($"s3rver is not installed: run npm ci --prefix {Path.Combine(repo, "tests", "s3rver")}", script);
            Directory.CreateDirectory(data);
            int port = FreePort();
            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true };
            // Listings of more than one page need OpenSSL's legacy provider (s3rver encrypts continuation tokens with DES).
            foreach (string arg in new[] { "--openssl-legacy-provider", script, "--silent", "--directory", data, "--address", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture) })
                start.ArgumentList.Add(arg);
            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            for (int i = 0; i < 300; i++)
            {
                try
                {
                    using var probe = new TcpClient();
                    await probe.ConnectAsync(IPAddress.Loopback, port);
                    return new S3rver(process, $"http://127.0.0.1:{port}");
                }
                catch (SocketException)
                {
                    await Task.Delay(100);
                }
            }
            process.Kill();
            throw new TimeoutException("s3rver did not start");
        }

        public async ValueTask DisposeAsync()
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
