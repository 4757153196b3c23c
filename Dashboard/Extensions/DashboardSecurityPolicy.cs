namespace Forecast.Dashboard.Extensions;

/// <summary>
/// The Dashboard's content security policy, sent with the service defaults' security headers: scripts only from our
/// own origin (no inline script, so an injected &lt;script&gt; would not run), no framing.
/// </summary>
public static class DashboardSecurityPolicy
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
}
