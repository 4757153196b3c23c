namespace Forecast.Core.Artifacts;

/// <summary>
/// eda/eda.yaml read back (written from <see cref="Eda.EdaReport"/>): the same keys in classes with setters and
/// concrete collections, which YamlDotNet can fill (it cannot create read-only interfaces). Treat as read-only.
/// </summary>
public sealed class RunEda
{
    public RunEdaOverall Overall { get; set; } = new();
    public List<RunEdaSeries> Series { get; set; } = [];
}

/// <summary>The <c>overall:</c> block of eda.yaml.</summary>
public sealed class RunEdaOverall
{
    public int SeriesCount { get; set; }
    public long TotalLength { get; set; }
    public int MinLength { get; set; }
    public int MaxLength { get; set; }
    public double MeanLength { get; set; }
    public string Start { get; set; } = "";
    public string End { get; set; } = "";
    public Dictionary<string, int> Frequencies { get; set; } = [];
    public double MissingShare { get; set; }
    public double? MeanTrendStrength { get; set; }
    public double? MeanSeasonalStrength { get; set; }
    public Dictionary<int, int> DetectedSeasonLengths { get; set; } = [];
}

/// <summary>One entry of <c>series:</c> in eda.yaml.</summary>
public sealed class RunEdaSeries
{
    public string Id { get; set; } = "";
    public int Length { get; set; }
    public string Start { get; set; } = "";
    public string End { get; set; } = "";
    public string Frequency { get; set; } = "";
    public double MissingShare { get; set; }
    public double? Mean { get; set; }
    public double? Std { get; set; }
    public double? Min { get; set; }
    public double? Max { get; set; }
    public double? TrendStrength { get; set; }
    public double? SeasonalStrength { get; set; }
    public int SeasonLength { get; set; }
    public List<int> DetectedSeasonLengths { get; set; } = [];
}
