namespace Forecast.Evaluator.Extensions;

/// <summary>
/// Listen on 127.0.0.1 unless told otherwise. An address from the environment (ASPNETCORE_URLS, which dotnet run's
/// launch profile and the Aspire AppHost set; ASPNETCORE_HTTP_PORTS, which container images set) wins, so this
/// default cannot fight the AppHost's proxy or a container's port; only a bare "dotnet Forecast.Evaluator.dll" gets it.
/// (Not "Urls" in appsettings.json: that would override ASPNETCORE_URLS.)
/// </summary>
public static class LoopbackDefaults
{
    public const string DefaultUrl = "http://127.0.0.1:5180";

    public static WebApplicationBuilder UseLoopbackByDefault(this WebApplicationBuilder builder)
    {
        bool configured = new[] { "urls", "http_ports", "https_ports" }.Any(key => !string.IsNullOrWhiteSpace(builder.Configuration[key]));
        if (!configured) builder.WebHost.UseUrls(DefaultUrl);
        return builder;
    }
}
