using Forecast.Core.Series;

namespace Forecast.Core.Data;

/// <summary>The series of one file, sorted by id then time, with the fingerprint of the bytes they came from.</summary>
public sealed record LoadedData(IReadOnlyList<TimeSeries> Series, DataFingerprint Fingerprint);
