namespace Forecast.Core.Evaluation;

/// <summary>
/// Some series are too short for the configured evaluation windows. The message lists them (with their lengths),
/// names the config fields at fault and says what would fix it; the Trainer maps it to the data-error exit code.
/// </summary>
public sealed class SeriesTooShortException(string message, IReadOnlyList<string> seriesIds) : Exception(message)
{
    public IReadOnlyList<string> SeriesIds { get; } = seriesIds;
}
