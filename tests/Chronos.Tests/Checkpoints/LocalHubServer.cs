using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Forecast.Chronos.Tests.Checkpoints;

/// <summary>
/// A real HTTP server on 127.0.0.1 (free port) that serves model folders in the Hugging Face Hub's URL layout and
/// headers: <c>/{repo}/resolve/{revision}/{file}</c> answers regular files directly (ETag = git blob sha1) and LFS
/// files (*.safetensors) with a 302 to <c>/cdn/{sha256}</c> carrying X-Linked-Etag / X-Linked-Size, every resolve
/// answer carries X-Repo-Commit; Range requests get 206. Faults can be injected: a connection dropped after N bytes,
/// wrong bytes, a short body, gated/private repositories needing a bearer token.
/// </summary>
internal sealed class LocalHubServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentDictionary<string, Repo> repos = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> blobs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public LocalHubServer()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        listener.Prefixes.Add(Endpoint.ToString()); // "http://127.0.0.1:{port}/"
        listener.Start();
        loop = Task.Run(AcceptLoop);
    }

    public Uri Endpoint { get; }

    /// <summary>Every request: method, path, Range header, Authorization header.</summary>
    public ConcurrentQueue<(string Method, string Path, string? Range, string? Authorization)> Requests { get; } = new();

    /// <summary>File name → bytes after which the next GET of it drops the connection (once).</summary>
    public ConcurrentDictionary<string, long> DropOnceAfter { get; } = new(StringComparer.Ordinal);

    /// <summary>File name → how many of its next GETs answer 503 Service Unavailable.</summary>
    public ConcurrentDictionary<string, int> UnavailableTimes { get; } = new(StringComparer.Ordinal);

    /// <summary>Files served with one byte flipped (same length, wrong hash).</summary>
    public ConcurrentDictionary<string, bool> Corrupt { get; } = new(StringComparer.Ordinal);

    /// <summary>Files served 100 bytes short (with a matching Content-Length, so only the announced size disagrees).</summary>
    public ConcurrentDictionary<string, bool> Short { get; } = new(StringComparer.Ordinal);

    public string AddRepo(string repoId, string folder, string? requiredToken = null, bool gated = false)
    {
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllBytes, StringComparer.Ordinal);
        var commit = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(repoId + string.Join(",", files.Keys))));
        repos[repoId] = new Repo(commit, files, requiredToken, gated);
        foreach (var bytes in files.Values)
            blobs[Sha256(bytes)] = bytes;
        return commit;
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string GitBlobSha1(byte[] bytes) =>
        Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {bytes.Length}\0"), .. bytes]));

    private async Task AcceptLoop()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            _ = Task.Run(() => Handle(context));
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url!.AbsolutePath;
        Requests.Enqueue((request.HttpMethod, path, request.Headers["Range"], request.Headers["Authorization"]));
        try
        {
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
            if (parts is ["cdn", var blobSha] && blobs.TryGetValue(blobSha, out var blob))
            {
                var name = repos.Values.SelectMany(r => r.Files).First(f => Sha256(f.Value) == blobSha).Key;
                Send(context, name, blob);
                return;
            }
            if (parts.Length < 5 || parts[2] != "resolve")
            {
                Error(response, 404, null, "Not found");
                return;
            }
            var repoId = parts[0] + "/" + parts[1];
            var revision = parts[3];
            var file = string.Join('/', parts[4..]);
            if (!repos.TryGetValue(repoId, out var repo))
            {
                Error(response, 404, "RepoNotFound", "Repository not found");
                return;
            }
            if (repo.RequiredToken is { } token && request.Headers["Authorization"] != "Bearer " + token)
            {
                if (repo.Gated)
                    Error(response, 401, "GatedRepo", "Access to this model is restricted; you must be authenticated");
                else
                    Error(response, 401, "RepoNotFound", "Repository not found");
                return;
            }
            if (revision != "main" && revision != repo.Commit)
            {
                Error(response, 404, "RevisionNotFound", "Invalid rev id: " + revision);
                return;
            }
            if (!repo.Files.TryGetValue(file, out var bytes))
            {
                response.AddHeader("X-Repo-Commit", repo.Commit);
                Error(response, 404, "EntryNotFound", "Entry not found");
                return;
            }
            response.AddHeader("X-Repo-Commit", repo.Commit);
            if (file.EndsWith(".safetensors", StringComparison.Ordinal))
            {
                var sha = Sha256(bytes);
                response.AddHeader("X-Linked-Etag", $"\"{sha}\"");
                response.AddHeader("X-Linked-Size", bytes.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
                response.AddHeader("ETag", $"\"{GitBlobSha1(Encoding.ASCII.GetBytes(sha))}\"");
                response.StatusCode = 302;
                response.RedirectLocation = $"{Endpoint}cdn/{sha}?expires=1";
                response.ContentLength64 = 0;
                response.Close();
                return;
            }
            response.AddHeader("ETag", $"\"{GitBlobSha1(bytes)}\"");
            Send(context, file, bytes);
        }
        catch (Exception) when (stop.IsCancellationRequested)
        {
        }
        catch (HttpListenerException)
        {
            // The client went away.
        }
        catch (IOException)
        {
            // The client went away.
        }
    }

    private void Send(HttpListenerContext context, string name, byte[] bytes)
    {
        var response = context.Response;
        if (context.Request.HttpMethod == "GET" && UnavailableTimes.TryGetValue(name, out var times) && times > 0)
        {
            UnavailableTimes[name] = times - 1;
            Error(response, 503, null, "Service Unavailable");
            return;
        }
        if (Corrupt.ContainsKey(name))
        {
            bytes = (byte[])bytes.Clone();
            bytes[bytes.Length / 2] ^= 0xFF;
        }
        if (Short.ContainsKey(name))
            bytes = bytes[..^100];
        long offset = 0;
        var range = context.Request.Headers["Range"];
        if (range is not null && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            offset = long.Parse(range[6..^1], System.Globalization.CultureInfo.InvariantCulture);
            if (offset >= bytes.Length)
            {
                response.StatusCode = 416;
                response.Close();
                return;
            }
            response.StatusCode = 206;
            response.AddHeader("Content-Range", $"bytes {offset}-{bytes.Length - 1}/{bytes.Length}");
        }
        response.ContentLength64 = bytes.Length - offset;
        response.SendChunked = false;
        if (context.Request.HttpMethod == "HEAD")
        {
            response.Close();
            return;
        }
        if (DropOnceAfter.TryRemove(name, out var dropAfter))
        {
            response.OutputStream.Write(bytes, (int)offset, (int)Math.Min(dropAfter, bytes.Length - offset));
            response.OutputStream.Flush();
            response.Abort();
            return;
        }
        response.OutputStream.Write(bytes, (int)offset, (int)(bytes.Length - offset));
        response.Close();
    }

    private static void Error(HttpListenerResponse response, int status, string? code, string message)
    {
        response.StatusCode = status;
        if (code is not null)
            response.AddHeader("X-Error-Code", code);
        response.AddHeader("X-Error-Message", message);
        response.ContentLength64 = 0;
        response.Close();
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
        stop.Dispose();
    }

    private sealed record Repo(string Commit, IReadOnlyDictionary<string, byte[]> Files, string? RequiredToken, bool Gated);
}
