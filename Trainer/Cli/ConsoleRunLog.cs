using System.Globalization;
using Forecast.Trainer.Pipeline;

namespace Forecast.Trainer.Cli;

/// <summary>Timestamped log lines ("2026-11-27T06:10:00.123Z INFO  ..."): information to stdout, warnings and errors to stderr.</summary>
public sealed class ConsoleRunLog(TextWriter output, TextWriter errors, TimeProvider? clock = null) : IRunLog
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Lock _gate = new();

    public void Info(string message) => Write(output, "INFO ", message);

    public void Warn(string message) => Write(errors, "WARN ", message);

    public void Error(string message) => Write(errors, "ERROR", message);

    private void Write(TextWriter writer, string level, string message)
    {
        string stamp = _clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        lock (_gate)
        {
            writer.WriteLine($"{stamp} {level} {message}");
            writer.Flush();
        }
    }
}
