namespace Forecast.Core.Evaluation;

/// <summary>The metric keys of config and metrics.yaml (definitions in docs/configuration.md and /data/README of the baselines).</summary>
public static class MetricNames
{
    public const string Mae = "mae";
    public const string Rmse = "rmse";
    public const string Mape = "mape";
    public const string Smape = "smape";
    public const string Mase = "mase";
    public const string Wape = "wape";
    public const string Wql = "wql";

    /// <summary>Coverage of every central interval formed by quantile pairs (q, 1-q); written as coverage_80 etc.</summary>
    public const string Coverage = "coverage";

    public static readonly IReadOnlyList<string> All = [Mae, Rmse, Mape, Smape, Mase, Wape, Wql, Coverage];

    /// <summary>The key of the coverage of the central interval between quantiles q and 1-q, e.g. coverage_80 for 0.1/0.9.</summary>
    public static string CoverageOf(double lowerQuantile) =>
        FormattableString.Invariant($"coverage_{Math.Round((1 - 2 * lowerQuantile) * 100, 6)}");
}
