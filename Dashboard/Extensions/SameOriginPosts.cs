namespace Forecast.Dashboard.Extensions;

/// <summary>
/// A state-changing request (POST, PUT, PATCH, DELETE) that names an Origin other than the host it was sent to is
/// refused with 403. With host filtering (AllowedHosts: loopback names by default) this closes DNS rebinding: a page
/// on evil.example whose name resolves to 127.0.0.1 sends Host and Origin evil.example, and cannot start runs.
/// </summary>
public static class SameOriginPosts
{
    public static IApplicationBuilder UseSameOriginPosts(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
                && request.Headers.Origin is { Count: > 0 } origin
                && !SameAuthority(origin.ToString(), request.Host.Value))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await context.Response.WriteAsync("Cross-origin requests may not change anything here.");
                return;
            }
            await next(context);
        });

    private static bool SameAuthority(string origin, string? host) =>
        host is not null && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && string.Equals(uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}", host, StringComparison.OrdinalIgnoreCase);
}
