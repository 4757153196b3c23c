using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Forecast.ServiceDefaults.Tests;

/// <summary>The service defaults on a real Kestrel server on 127.0.0.1: health endpoints, tracing of our sources, resilience.</summary>
public sealed class ExtensionsTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static WebApplicationBuilder NewBuilder(string url)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = "Forecast.ServiceDefaults.Tests" });
        builder.WebHost.UseUrls(url);
        builder.AddServiceDefaults();
        return builder;
    }

    [Fact]
    public async Task Health_reports_every_check_and_alive_only_the_live_ones()
    {
        string url = $"http://127.0.0.1:{FreePort()}";
        var builder = NewBuilder(url);
        builder.Services.AddHealthChecks().AddCheck("storage", () => HealthCheckResult.Unhealthy("bucket missing"));
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        var health = await http.GetAsync("/health");
        var alive = await http.GetAsync("/alive");

        health.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "the storage check is unhealthy");
        (await health.Content.ReadAsStringAsync()).Should().Be("Unhealthy");
        alive.StatusCode.Should().Be(HttpStatusCode.OK, "/alive only asks whether the process answers");
        (await alive.Content.ReadAsStringAsync()).Should().Be("Healthy");
        await app.StopAsync();
    }

    [Fact]
    public async Task Our_activity_sources_are_traced_and_health_probes_are_not()
    {
        string url = $"http://127.0.0.1:{FreePort()}";
        var builder = NewBuilder(url);
        var exported = new List<Activity>();
        var requestEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The server activity ends after the client has its response (hosting stops it once the response completes,
        // and only then does the instrumentation name it by route), so the test waits for that end, not for a flush.
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddInMemoryExporter(exported)
            .AddProcessor(new EndSignal(a => a.Source.Name == "Microsoft.AspNetCore" && a.DisplayName.Contains("/work"), requestEnded)));
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        using var source = new ActivitySource("Forecast.Trainer");
        app.MapGet("/work", () =>
        {
            using var activity = source.StartActivity("fit");
            return "done";
        });
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        await http.GetStringAsync("/health");
        await http.GetStringAsync("/work");
        await requestEnded.Task.WaitAsync(TimeSpan.FromSeconds(30));

        exported.Select(a => a.OperationName).Should().Contain("fit", "Forecast.* sources are registered by the wildcard");
        exported.Should().Contain(a => a.Source.Name == "Microsoft.AspNetCore" && a.DisplayName.Contains("/work"));
        exported.Should().NotContain(a => a.DisplayName.Contains("/health"), "health probes are filtered out of traces");
        await app.StopAsync();
    }

    [Fact]
    public async Task What_a_health_check_calls_is_not_traced_either()
    {
        string url = $"http://127.0.0.1:{FreePort()}";
        var builder = NewBuilder(url);
        var exported = new List<Activity>();
        var requestEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The AppHost sets OTEL_TRACES_SAMPLER=always_on for its projects: a span is recorded even when its parent, the
        // filtered-out probe request, is not, so only suppressing the checks' instrumentation keeps them out.
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .SetSampler(new AlwaysOnSampler())
            .AddInMemoryExporter(exported)
            .AddProcessor(new EndSignal(a => a.Source.Name == "Microsoft.AspNetCore" && a.DisplayName.Contains("/work"), requestEnded)));
        // A check that calls out over HTTP, as the artifact store check lists the bucket through the AWS SDK.
        builder.Services.AddHealthChecks().AddAsyncCheck("calls-out", async cancellationToken =>
        {
            using var client = new HttpClient();
            await client.GetStringAsync($"{url}/dependency", cancellationToken);
            return HealthCheckResult.Healthy();
        });
        await using var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/dependency", () => "up");
        app.MapGet("/work", () => "done");
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(url) };

        (await http.GetStringAsync("/health")).Should().Be("Healthy");
        await http.GetStringAsync("/work");
        await requestEnded.Task.WaitAsync(TimeSpan.FromSeconds(30));

        exported.Should().Contain(a => a.DisplayName.Contains("/work"), "ordinary requests are traced");
        exported.Should().NotContain(a => a.Source.Name == "System.Net.Http" && (a.GetTagItem("url.full") as string ?? "").Contains("/dependency"),
            "the check's own HTTP call is not a trace of its own");
        exported.Should().Contain(a => a.Source.Name == "System.Net.Http" && (a.GetTagItem("url.full") as string ?? "").Contains("/work"), "other client calls are");
        await app.StopAsync();
    }

    /// <summary>Completes <paramref name="ended"/> when an activity matching <paramref name="match"/> ends; added after the exporter, so it runs after the export.</summary>
    private sealed class EndSignal(Func<Activity, bool> match, TaskCompletionSource ended) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            if (match(data)) ended.TrySetResult();
        }
    }

    [Fact]
    public async Task Http_clients_from_the_factory_retry_transient_failures()
    {
        string url = $"http://127.0.0.1:{FreePort()}";
        var builder = NewBuilder(url);
        await using var app = builder.Build();
        int calls = 0;
        app.MapGet("/flaky", (HttpContext context) =>
        {
            if (Interlocked.Increment(ref calls) < 3) context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Results.Empty;
        });
        await app.StartAsync();
        var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        var response = await client.GetAsync($"{url}/flaky");

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the standard resilience handler retried the two 503s");
        calls.Should().Be(3);
        await app.StopAsync();
    }
}
