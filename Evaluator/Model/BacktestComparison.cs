namespace Forecast.Evaluator.Model;

/// <summary>
/// Runs side by side on their backtest windows: per run and window the pooled metrics over all series, and whether the
/// runs scored the same series and timestamps (only then are the numbers comparable window by window).
/// </summary>
public sealed record BacktestComparison(string Dataset, bool SameWindows, IReadOnlyList<BacktestRun> Runs);

/// <summary>One run of a <see cref="BacktestComparison"/>.</summary>
public sealed record BacktestRun(string RunId, string Model, IReadOnlyList<BacktestWindow> Windows, IReadOnlyDictionary<string, double> Overall);

/// <summary>One window: its index, first forecast timestamp, series count and metrics pooled over its series.</summary>
public sealed record BacktestWindow(int Window, DateTime Cutoff, int Series, IReadOnlyDictionary<string, double> Metrics);
