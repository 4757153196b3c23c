namespace Forecast.Chronos.Frames;

/// <summary>A long-format table that cannot be forecast, naming the series, the column and, where it applies, the row.</summary>
public sealed class SeriesFrameException(string message) : ArgumentException(message);
