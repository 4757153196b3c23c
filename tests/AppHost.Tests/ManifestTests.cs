using System.Diagnostics;

namespace Forecast.AppHost.Tests;

/// <summary>aspire-manifest.json at the repository root is what the documented command generates now.</summary>
public sealed class ManifestTests
{
    private static string Repository([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));

    [Fact]
    public async Task The_committed_manifest_is_current()
    {
        // Written beside the committed one, so relative project paths come out the same; deleted afterwards.
        string check = Path.Combine(Repository(), $"aspire-manifest.check-{Guid.NewGuid():N}.json");
        // From AppHost/, as the documented command runs: the content root (appsettings.json) is the working directory.
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.Combine(Repository(), "AppHost"),
        };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "Forecast.AppHost.dll"), "--publisher", "manifest", "--output-path", check })
            start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            string output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
            string errors = await process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            process.ExitCode.Should().Be(0, output + errors);

            string generated = await File.ReadAllTextAsync(check);
            string committed = await File.ReadAllTextAsync(Path.Combine(Repository(), "aspire-manifest.json"));
            generated.Should().Be(committed,
                "aspire-manifest.json must be regenerated after an AppHost change: cd AppHost && dotnet run -- --publisher manifest --output-path ../aspire-manifest.json");
            generated.Should().NotContain(Repository(), "the manifest must not bake in this machine's paths");
        }
        finally
        {
            File.Delete(check);
        }
    }
}
