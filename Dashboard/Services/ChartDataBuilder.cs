using Forecast.Core.Artifacts;

namespace Forecast.Dashboard.Services;

/// <summary>
/// Builds the <see cref="ChartData"/> of one series of a run from its forecasts.csv, evaluation/forecasts.csv and the
/// input data (through <see cref="SeriesHistoryCache"/>). The band is the widest central interval the run has
/// (lowest and highest quantile levels, 0.1–0.9 by default).
/// </summary>
public sealed class ChartDataBuilder(RunReader reader, SeriesHistoryCache histories)
{
    /// <returns>null when the run is not committed or has no series <paramref name="seriesId"/>.</returns>
    public async Task<ChartData?> BuildAsync(string runId, string seriesId, CancellationToken cancellationToken)
    {
        var future = await reader.ReadForecastsAsync(runId, evaluation: false, cancellationToken);
        if (future is null) return null;
        var forecast = future.Traces.FirstOrDefault(t => t.SeriesId == seriesId);
        if (forecast is null) return null;
        var evaluation = (await reader.ReadForecastsAsync(runId, evaluation: true, cancellationToken))?.Traces
            .Where(t => t.SeriesId == seriesId).OrderBy(t => t.Window).ToList() ?? [];
        var config = await reader.ReadConfigAsync(runId, cancellationToken) ?? new RunConfigSummary();
        var history = await histories.GetAsync(config, await FingerprintAsync(runId, cancellationToken), cancellationToken);
        history.Series.TryGetValue(seriesId, out var series);

        var times = new SortedSet<long>();
        if (series is not null) foreach (var t in series.Timestamps) times.Add(Seconds(t));
        foreach (var trace in evaluation) foreach (var t in trace.Timestamps) times.Add(Seconds(t));
        foreach (var t in forecast.Timestamps) times.Add(Seconds(t));
        long[] x = [.. times];
        var index = new Dictionary<long, int>(x.Length);
        for (int i = 0; i < x.Length; i++) index[x[i]] = i;
        double?[] Column() => new double?[x.Length];

        var (historyColumn, actual, evaluationMean, evaluationLow, evaluationHigh, mean, low, high) =
            (Column(), Column(), Column(), Column(), Column(), Column(), Column(), Column());
        if (series is not null)
            for (int i = 0; i < series.Length; i++) historyColumn[index[Seconds(series.Timestamps[i])]] = Value(series.Values[i]);
        int lowIndex = 0, highIndex = future.QuantileLevels.Count - 1;
        // Later windows overwrite earlier ones where backtest windows overlap (step < horizon).
        foreach (var trace in evaluation)
        {
            for (int h = 0; h < trace.Timestamps.Length; h++)
            {
                int i = index[Seconds(trace.Timestamps[h])];
                if (trace.Actuals is not null) actual[i] = Value(trace.Actuals[h]);
                evaluationMean[i] = Value(trace.Mean[h]);
                if (highIndex > lowIndex) { evaluationLow[i] = Value(trace.Quantiles[lowIndex][h]); evaluationHigh[i] = Value(trace.Quantiles[highIndex][h]); }
            }
        }
        for (int h = 0; h < forecast.Timestamps.Length; h++)
        {
            int i = index[Seconds(forecast.Timestamps[h])];
            mean[i] = Value(forecast.Mean[h]);
            if (highIndex > lowIndex) { low[i] = Value(forecast.Quantiles[lowIndex][h]); high[i] = Value(forecast.Quantiles[highIndex][h]); }
        }
        string? note = series is null ? history.Note ?? "the series is not in the run's data file" : history.Note;
        return new ChartData(seriesId, x, historyColumn, actual, evaluationMean, evaluationLow, evaluationHigh, mean, low, high,
            highIndex > lowIndex ? future.QuantileLevels[lowIndex] : double.NaN,
            highIndex > lowIndex ? future.QuantileLevels[highIndex] : double.NaN, note);
    }

    /// <summary>The sha256 line of data_fingerprint.yaml (written by the Trainer), or null.</summary>
    private async Task<string?> FingerprintAsync(string runId, CancellationToken cancellationToken)
    {
        string? text = await reader.ReadTextAsync(runId, "data_fingerprint.yaml", cancellationToken);
        var line = text?.Split('\n').FirstOrDefault(l => l.StartsWith("sha256:", StringComparison.Ordinal));
        return line?["sha256:".Length..].Trim();
    }

    private static long Seconds(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeSeconds();

    private static double? Value(double v) => double.IsFinite(v) ? v : null;
}
