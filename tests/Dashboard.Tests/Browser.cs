using Microsoft.Playwright;

namespace Forecast.Dashboard.Tests;

/// <summary>
/// Debian's chromium driven by Microsoft.Playwright (never `playwright install`): headless, sandbox off (containers),
/// no GPU, QUIC, first-run, background networking, component updates or sync, so a test talks only to 127.0.0.1.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    /// <summary>
    /// Debian's chromium: CHROMIUM_PATH when set, else the first `chromium` on PATH (so a PATH without it, as the
    /// fresh-machine step of .ci/run uses, means "absent"); null when there is none.
    /// </summary>
    public static string? ExecutablePath { get; } = Locate();

    private static string? Locate()
    {
        string? configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (!string.IsNullOrEmpty(configured))
            return File.Exists(configured) ? configured : null;
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "chromium"))
            .FirstOrDefault(File.Exists);
    }

    private static readonly string[] Arguments =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

    private readonly IPlaywright _playwright;

    private Browser(IPlaywright playwright, IBrowser chromium)
    {
        _playwright = playwright;
        Chromium = chromium;
    }

    public IBrowser Chromium { get; }

    /// <summary>Where screenshots go: screenshots/ next to the test assembly (kept as test output).</summary>
    public static string ScreenshotFolder { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    public static async Task<Browser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath ?? throw new InvalidOperationException("chromium is not installed (see ChromiumFactAttribute)."),
            Headless = true,
            Args = Arguments,
        });
        return new Browser(playwright, chromium);
    }

    public async Task<IPage> NewPageAsync(Uri baseAddress)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        // Every console error, uncaught exception and failed or refused resource load (a 404 favicon, a style the
        // page's own CSP blocks), with the page it happened on: tests assert there are none.
        page.Console += (_, message) => { if (message.Type == "error") Record(page, $"console: {message.Text}"); };
        page.PageError += (_, error) => Record(page, $"uncaught: {error}");
        page.RequestFailed += (_, request) => Record(page, $"request failed: {request.Url} ({request.Failure})");
        page.Response += (_, response) => { if (response.Status >= 400) Record(page, $"HTTP {response.Status}: {response.Url}"); };
        return page;
    }

    private readonly List<string> _errors = [];

    /// <summary>What went wrong in the pages of this browser so far (console errors, uncaught errors, failed loads).</summary>
    public IReadOnlyList<string> Errors { get { lock (_errors) return [.. _errors]; } }

    private void Record(IPage page, string what)
    {
        lock (_errors) _errors.Add($"{page.Url}: {what}");
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await Chromium.DisposeAsync();
        _playwright.Dispose();
    }
}

/// <summary>
/// A fact that needs chromium: skipped, saying why, only when no chromium is found (CI installs it). Mark such tests
/// [Trait("Requires", "chromium")] too: .ci/run reruns them by that trait once it has installed chromium.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Browser.ExecutablePath is null)
            Skip = "chromium is not on PATH (nor CHROMIUM_PATH): install Debian's chromium (apt-get install -y chromium) to run the browser tests.";
    }
}
