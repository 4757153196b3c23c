using System.Globalization;
using Forecast.Core.Artifacts.Catalog;
using Microsoft.AspNetCore.OutputCaching;

namespace Forecast.Dashboard.Extensions;

/// <summary>
/// The pages drawn from the run catalog alone (the runs list, the leaderboard) are rendered once per version of the
/// catalog and query string, then served from memory: ASP.NET Core output caching keyed by the catalog's version, as
/// the Evaluator serializes its list and leaderboard bodies once per version. The lookup still asks the catalog for its
/// current list first (which looks for new commits at most once per RunCatalog:ChangeCheckInterval), so a run
/// committed while the Dashboard is up changes the version and appears on the next request, never a stale page.
/// </summary>
internal sealed class RunCatalogOutputCachePolicy : IOutputCachePolicy
{
    public const string Name = "RunCatalog";

    /// <summary>How long a page of an older catalog version stays in memory (it is never served once the version moved on).</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    async ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var request = context.HttpContext.Request;
        // As the default policy: only GET and HEAD without credentials.
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return;
        if (request.Headers.Authorization.Count > 0) return;

        var catalog = await context.HttpContext.RequestServices.GetRequiredService<RunCatalogCache>().GetAsync(cancellationToken);
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        // Many requests for a page not yet rendered wait for one rendering.
        context.AllowLocking = true;
        context.CacheVaryByRules.QueryKeys = "*";
        context.CacheVaryByRules.VaryByValues["catalog"] = catalog.Version.ToString(CultureInfo.InvariantCulture);
        context.ResponseExpirationTimeSpan = Lifetime;
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        // Only a whole page is kept: not an error, a redirect, or a response that sets a cookie.
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0) context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }
}
