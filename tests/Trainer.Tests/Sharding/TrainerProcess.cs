using System.Diagnostics;

namespace Forecast.Trainer.Tests.Sharding;

/// <summary>The Trainer as a separate process (dotnet Trainer.dll), as each Fargate task runs it.</summary>
internal static class TrainerProcess
{
    public static async Task<(int ExitCode, string Out, string Err)> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Trainer.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("FORECAST_CONFIG");
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
