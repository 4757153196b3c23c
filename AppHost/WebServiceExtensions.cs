using Microsoft.Extensions.Configuration;

namespace Forecast.AppHost;

/// <summary>
/// A web project of the stack on a port of its own choosing: its launch profile (a fixed port for a bare
/// `dotnet run --project Evaluator`) is left out, so the AppHost's proxy takes a free port, or
/// &lt;Name&gt;:Port when configured (e.g. Dashboard:Port=5190). Two stacks on one machine then never collide.
/// </summary>
public static class WebServiceExtensions
{
    public static IResourceBuilder<ProjectResource> AddWebService<TProject>(this IDistributedApplicationBuilder builder, string name)
        where TProject : IProjectMetadata, new()
    {
        int? port = int.TryParse(builder.Configuration[$"{char.ToUpperInvariant(name[0])}{name[1..]}:Port"], out int configured) ? configured : null;
        return builder.AddProject<TProject>(name, options => options.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(port: port, name: "http");
    }
}
