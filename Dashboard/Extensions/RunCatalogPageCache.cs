using System.Collections.Concurrent;
using System.Globalization;
using Forecast.Core.Artifacts.Catalog;

namespace Forecast.Dashboard.Extensions;

/// <summary>
/// The pages marked <see cref="RunCatalogPageAttribute"/> rendered once per version of the run catalog and URL, then
/// served as bytes from memory, as the Evaluator serializes its list and leaderboard bodies once per version
/// (<see cref="RunCatalogSnapshot.Response"/>). A hit is one dictionary lookup and one write, nothing per request
/// proportional to the page; ASP.NET Core's output cache, used before, deserializes its stored entry (headers and body)
/// on every hit, and the leaderboard page (~70 KB) had p99 tails above 100 ms under wrk where the Evaluator's 90 KB
/// leaderboard had none. Every request still asks the catalog for its current list first (which looks for new commits
/// at most once per RunCatalog:ChangeCheckInterval), so a run committed while the Dashboard is up changes the version
/// and appears on the next request, never a stale page.
/// </summary>
public sealed class RunCatalogPageCache(RunCatalogCache catalog)
{
    /// <summary>Pages kept per catalog version (one per URL: page number, filters, search); beyond it pages render per request.</summary>
    private const int MaxPages = 256;

    private volatile Pages _pages = new(-1);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        // As an output cache: only GET, without credentials; a HEAD or anything else renders as usual.
        if (context.GetEndpoint()?.Metadata.GetMetadata<RunCatalogPageAttribute>() is null || !HttpMethods.IsGet(request.Method)
            || request.Headers.Authorization.Count > 0)
        {
            await next(context);
            return;
        }

        var snapshot = await catalog.GetAsync(context.RequestAborted);
        var pages = _pages;
        if (pages.Version < snapshot.Version)
        {
            // The list moved on: pages of older versions are never served again, so they are dropped at once.
            var fresh = new Pages(snapshot.Version);
            pages = Interlocked.CompareExchange(ref _pages, fresh, pages) == pages ? fresh : _pages;
        }
        string url = request.Path.Value + request.QueryString.Value;
        if (pages.Version == snapshot.Version && pages.ByUrl.TryGetValue(url, out var page))
        {
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = page.ContentType;
            response.ContentLength = page.Body.Length;
            // As an HTTP cache answers (RFC 9111 Age): the seconds since the page was rendered.
            response.Headers.Age = ((Environment.TickCount64 - page.RenderedAt) / 1000).ToString(CultureInfo.InvariantCulture);
            await response.Body.WriteAsync(page.Body, context.RequestAborted);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        byte[] body = buffer.ToArray();
        // Only a whole page is kept: not an error, a redirect, or a response that sets a cookie.
        if (context.Response.StatusCode == StatusCodes.Status200OK && context.Response.Headers.SetCookie.Count == 0
            && pages.Version == snapshot.Version && pages.ByUrl.Count < MaxPages)
            pages.ByUrl.TryAdd(url, new Page(context.Response.ContentType ?? "text/html; charset=utf-8", body, Environment.TickCount64));
        if (!context.Response.HasStarted) context.Response.ContentLength = body.Length;
        await original.WriteAsync(body, context.RequestAborted);
    }

    private sealed record Page(string ContentType, byte[] Body, long RenderedAt);

    private sealed class Pages(long version)
    {
        public long Version { get; } = version;
        public ConcurrentDictionary<string, Page> ByUrl { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>Adds <see cref="RunCatalogPageCache"/> to the pipeline (after routing, so the page's endpoint is known).</summary>
public static class RunCatalogPageCacheExtensions
{
    public static IApplicationBuilder UseRunCatalogPageCache(this IApplicationBuilder app)
    {
        var cache = app.ApplicationServices.GetRequiredService<RunCatalogPageCache>();
        return app.Use(cache.InvokeAsync);
    }
}
