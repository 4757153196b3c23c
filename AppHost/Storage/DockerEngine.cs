using System.Net.Sockets;
using System.Text;

namespace Forecast.AppHost.Storage;

/// <summary>
/// Asks the Docker engine whether it runs: GET /_ping on its Unix socket (DOCKER_HOST=unix://... or
/// /var/run/docker.sock), which answers "OK" (Docker Engine API, "Ping"). A docker CLI on PATH proves nothing: on this
/// project's machines the client is installed but no engine runs.
/// </summary>
public static class DockerEngine
{
    public static string SocketPath
    {
        get
        {
            string? host = Environment.GetEnvironmentVariable("DOCKER_HOST");
            return host is not null && host.StartsWith("unix://", StringComparison.Ordinal) ? host["unix://".Length..] : "/var/run/docker.sock";
        }
    }

    public static string Describe() => $"unix://{SocketPath}";

    public static bool Answers(TimeSpan? timeout = null)
    {
        if (!File.Exists(SocketPath)) return false;
        try
        {
            using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(2));
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancel.Token).AsTask().GetAwaiter().GetResult();
            socket.Send("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"u8);
            var buffer = new byte[256];
            int read = socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token).AsTask().GetAwaiter().GetResult();
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("HTTP/1.", StringComparison.Ordinal)
                   && Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            return false;
        }
    }
}
