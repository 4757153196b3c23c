using Forecast.Core.Models;

namespace Forecast.Core.Evaluation;

/// <summary>How a run is scored (config section <c>evaluation:</c>; keys and defaults in docs/configuration.md).</summary>
public sealed record EvaluationOptions
{
    public EvaluationMode Mode { get; init; } = EvaluationMode.Holdout;

    /// <summary>Steps forecast per window.</summary>
    public int Horizon { get; init; } = 12;

    /// <summary>Backtest windows (holdout always uses 1).</summary>
    public int Windows { get; init; } = 1;

    /// <summary>Points between backtest cutoffs; null means <see cref="Horizon"/> (non-overlapping windows).</summary>
    public int? Step { get; init; }

    /// <summary>Season length m of the MASE scale; null takes each series' frequency default.</summary>
    public int? SeasonLength { get; init; }

    public IReadOnlyList<double> Quantiles { get; init; } = ForecastRequest.DefaultQuantiles;

    public IReadOnlyList<string> Metrics { get; init; } = MetricNames.All;

    /// <summary>The forecast the point metrics score: the mean (default) or the 0.5 quantile.</summary>
    public PointForecast PointForecast { get; init; } = PointForecast.Mean;

    /// <summary>The number of windows actually used: 1 for holdout.</summary>
    public int EffectiveWindows => Mode == EvaluationMode.Holdout ? 1 : Windows;

    public int EffectiveStep => Step ?? Horizon;
}
