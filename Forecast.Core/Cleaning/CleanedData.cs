using Forecast.Core.Series;

namespace Forecast.Core.Cleaning;

/// <summary>The regular series (with <see cref="TimeSeries.Frequency"/> set) and the report of what changed.</summary>
public sealed record CleanedData(IReadOnlyList<TimeSeries> Series, CleaningReport Report);
