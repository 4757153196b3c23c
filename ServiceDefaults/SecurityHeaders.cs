using Microsoft.AspNetCore.Builder;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Response headers every Forecast web process sends, pages and API alike: a content security policy, no MIME
/// sniffing (a JSON or CSV body is never run as a script or page), no framing, no referrer to other sites.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The policy for responses that are never rendered as pages (JSON APIs): nothing may load, nothing may frame.</summary>
    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

    /// <summary>
    /// Adds the headers as the response starts, so they survive the exception handler (which clears the headers of a
    /// failed response before writing its problem details) and reach error responses too.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, string contentSecurityPolicy) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = contentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                // same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" with the page's own
                // form posts (the Fetch standard's request-origin serialization), and the Dashboard refuses posts
                // whose Origin is not its host (SameOriginPosts). Other sites still get neither referrer nor origin.
                headers["Referrer-Policy"] = "same-origin";
                return Task.CompletedTask;
            });
            await next(context);
        });
}
