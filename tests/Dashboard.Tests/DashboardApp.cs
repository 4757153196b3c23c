using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Forecast.Dashboard.Tests;

/// <summary>
/// The real Dashboard on Kestrel at 127.0.0.1 on a free port, over the runs of <see cref="DashboardRuns"/>, launching
/// the real Trainer (Trainer.dll next to the tests) when a run is started.
/// </summary>
public sealed class DashboardApp : WebApplicationFactory<Program>
{
    private readonly DashboardRuns _runs;
    private readonly IReadOnlyDictionary<string, string> _settings;

    /// <param name="settings">Settings over the test defaults (e.g. Trainer:Command, AllowedHosts).</param>
    public DashboardApp(DashboardRuns runs, IReadOnlyDictionary<string, string>? settings = null)
    {
        _runs = runs;
        _settings = settings ?? new Dictionary<string, string>();
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
    }

    /// <summary>The address Kestrel bound, e.g. http://127.0.0.1:41234.</summary>
    public Uri BaseAddress => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Urls", "");
        builder.UseSetting("Dashboard:ArtifactRoot", _runs.Output);
        builder.UseSetting("Dashboard:DataRoot", _runs.Root);
        builder.UseSetting("Trainer:Command", "dotnet");
        builder.UseSetting("Trainer:Arguments:0", Path.Combine(AppContext.BaseDirectory, "Trainer.dll"));
        builder.UseSetting("Trainer:WorkingDirectory", _runs.Root);
        builder.UseSetting("Trainer:ConfigFolder", _runs.ConfigFolder);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }
}
