namespace Forecast.Core.Eda;

/// <summary>
/// The exploratory analysis written by the pipeline as <c>eda.yaml</c>: plain properties only, so any YAML or JSON
/// serializer writes it as is. Missing statistics (a constant series has no seasonal strength) are null.
/// </summary>
public sealed record EdaReport
{
    public OverallEda Overall { get; init; } = new();
    public IReadOnlyList<SeriesEda> Series { get; init; } = [];
}

/// <summary>Statistics of one series.</summary>
public sealed record SeriesEda
{
    public string Id { get; init; } = "";
    public int Length { get; init; }
    public string Start { get; init; } = "";
    public string End { get; init; } = "";
    public string Frequency { get; init; } = "";
    public double MissingShare { get; init; }
    public double? Mean { get; init; }
    public double? Std { get; init; }
    public double? Min { get; init; }
    public double? Max { get; init; }

    /// <summary>Hyndman's F_T = max(0, 1 − Var(R) / Var(T + R)) from the STL decomposition.</summary>
    public double? TrendStrength { get; init; }

    /// <summary>Hyndman's F_S = max(0, 1 − Var(R) / Var(S + R)); null when the series has no season (length 1) or too few cycles.</summary>
    public double? SeasonalStrength { get; init; }

    /// <summary>The season length used by the decomposition.</summary>
    public int SeasonLength { get; init; }

    /// <summary>Lags at which the ACF has a significant local peak, strongest first.</summary>
    public IReadOnlyList<int> DetectedSeasonLengths { get; init; } = [];
}

/// <summary>Statistics over all series.</summary>
public sealed record OverallEda
{
    public int SeriesCount { get; init; }
    public long TotalLength { get; init; }
    public int MinLength { get; init; }
    public int MaxLength { get; init; }
    public double MeanLength { get; init; }
    public string Start { get; init; } = "";
    public string End { get; init; } = "";

    /// <summary>Series count per frequency alias.</summary>
    public IReadOnlyDictionary<string, int> Frequencies { get; init; } = new Dictionary<string, int>();

    public double MissingShare { get; init; }
    public double? MeanTrendStrength { get; init; }
    public double? MeanSeasonalStrength { get; init; }

    /// <summary>Detected season lengths with how many series show each, most common first.</summary>
    public IReadOnlyDictionary<int, int> DetectedSeasonLengths { get; init; } = new Dictionary<int, int>();
}
