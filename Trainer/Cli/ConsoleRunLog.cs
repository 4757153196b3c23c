using System.Globalization;
using Forecast.Trainer.Pipeline;
using Microsoft.Extensions.Logging;

namespace Forecast.Trainer.Cli;

/// <summary>
/// Timestamped log lines ("2026-11-27T06:10:00.123Z INFO  ..."): information to stdout, warnings and errors to
/// stderr. While a progress bar is drawn, information goes through the Spectre console so it lands above the bar.
/// When the host gives a logger, every line also goes to it, so it reaches OpenTelemetry (the Aspire dashboard).
/// </summary>
public sealed class ConsoleRunLog : IRunLog
{
    private readonly Action<string> _info;
    private readonly Action<string> _problems;
    private readonly TimeProvider _clock;
    private readonly ILogger? _logger;
    private readonly Lock _gate = new();

    public ConsoleRunLog(TextWriter output, TextWriter errors, TimeProvider? clock = null, ILogger? logger = null)
        : this(line => WriteFlushed(output, line), line => WriteFlushed(errors, line), clock, logger) { }

    public ConsoleRunLog(Action<string> info, Action<string> problems, TimeProvider? clock = null, ILogger? logger = null)
    {
        _info = info;
        _problems = problems;
        _clock = clock ?? TimeProvider.System;
        _logger = logger;
    }

    public void Info(string message) => Write(_info, "INFO ", message, LogLevel.Information);

    public void Warn(string message) => Write(_problems, "WARN ", message, LogLevel.Warning);

    public void Error(string message) => Write(_problems, "ERROR", message, LogLevel.Error);

    private void Write(Action<string> sink, string level, string message, LogLevel logLevel)
    {
#pragma warning disable CA2254 // The pipeline's messages are already formatted text.
        _logger?.Log(logLevel, message);
#pragma warning restore CA2254
        string stamp = _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        lock (_gate) sink($"{stamp} {level} {message}");
    }

    private static void WriteFlushed(TextWriter writer, string line)
    {
        writer.WriteLine(line);
        writer.Flush();
    }
}
