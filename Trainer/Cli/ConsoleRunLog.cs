using System.Globalization;
using Forecast.Trainer.Pipeline;
using Microsoft.Extensions.Logging;

namespace Forecast.Trainer.Cli;

/// <summary>
/// Timestamped log lines ("2026-11-27T06:10:00.123Z INFO  ..."): information to stdout, warnings and errors to stderr;
/// also to <paramref name="logger"/> when the host gives one, so the lines reach OpenTelemetry (the Aspire dashboard).
/// </summary>
public sealed class ConsoleRunLog(TextWriter output, TextWriter errors, TimeProvider? clock = null, ILogger? logger = null) : IRunLog
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Lock _gate = new();

    public void Info(string message) => Write(output, "INFO ", message, LogLevel.Information);

    public void Warn(string message) => Write(errors, "WARN ", message, LogLevel.Warning);

    public void Error(string message) => Write(errors, "ERROR", message, LogLevel.Error);

    private void Write(TextWriter writer, string level, string message, LogLevel logLevel)
    {
#pragma warning disable CA2254 // The pipeline's messages are already formatted text.
        logger?.Log(logLevel, message);
#pragma warning restore CA2254
        string stamp = _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        lock (_gate)
        {
            writer.WriteLine($"{stamp} {level} {message}");
            writer.Flush();
        }
    }
}
