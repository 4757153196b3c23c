using System.Net;
using System.Net.Sockets;

namespace Forecast.AppHost;

/// <summary>
/// The AppHost's own ports (the Aspire dashboard, its OTLP receiver and its resource service) on free loopback ports
/// unless configured, so two stacks on one machine do not collide. Configure them as Aspire does: the environment
/// variables or command-line settings ASPNETCORE_URLS, ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL and
/// ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL (e.g. dotnet run --project AppHost -- ASPNETCORE_URLS=http://localhost:15180).
/// </summary>
public static class LocalPorts
{
    public static readonly IReadOnlyList<string> Settings = ["ASPNETCORE_URLS", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"];

    /// <summary><paramref name="args"/> with a free-port setting added for each of <see cref="Settings"/> neither they nor the environment give.</summary>
    public static string[] WithFreePorts(string[] args, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var added = new List<string>(args);
        foreach (string setting in Settings)
        {
            bool given = !string.IsNullOrWhiteSpace(environment(setting))
                || args.Any(a => a.StartsWith(setting + "=", StringComparison.OrdinalIgnoreCase) || a.StartsWith("--" + setting + "=", StringComparison.OrdinalIgnoreCase));
            if (!given) added.Add($"{setting}=http://localhost:{FreePort()}");
        }
        return [.. added];
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
