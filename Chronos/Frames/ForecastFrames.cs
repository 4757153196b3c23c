using Forecast.Chronos.Common;

namespace Forecast.Chronos.Frames;

/// <summary>
/// What every family's <see cref="IChronosPipeline.PredictFrame"/> shares: the univariate path (each series of the table
/// forecast alone; covariate columns ignored, as the reference's base predict_df does) and the forecast table built
/// from per-series forecasts and the timestamps that follow each series.
/// </summary>
internal static class ForecastFrames
{
    /// <summary>The default levels of predict_df.</summary>
    public static readonly IReadOnlyList<float> DefaultLevels = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f];

    public static ForecastFrame PredictUnivariate(IChronosPipeline pipeline, SeriesFrame history, int? predictionLength,
        IReadOnlyList<float>? quantileLevels, FrameForecastOptions? options, CancellationToken cancellationToken)
    {
        options ??= new FrameForecastOptions();
        var horizon = predictionLength ?? pipeline.PredictionLength;
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1, nameof(predictionLength));
        var levels = quantileLevels ?? DefaultLevels;
        var split = SplitHistory(history);
        var timestamps = split.FutureTimestamps(horizon, options.Frequency);
        var series = Enumerable.Range(0, split.Count).Select(split.Target).ToList();
        var forecasts = pipeline.ForecastSeries(series, horizon, levels, options.BatchSize, options.Progress, cancellationToken);
        return Build(split.Ids, timestamps, forecasts, levels);
    }

    /// <summary>The history split into series; it must have a target.</summary>
    public static FrameSeries SplitHistory(SeriesFrame history)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Target is null)
            throw new SeriesFrameException("The history table has no target column; give the values to forecast.");
        return FrameSeries.Split(history);
    }

    /// <summary>One row per series and step, series in the given order.</summary>
    public static ForecastFrame Build(IReadOnlyList<string> ids, IReadOnlyList<DateTime[]> timestamps,
        IReadOnlyList<QuantileForecast> forecasts, IReadOnlyList<float> levels)
    {
        var rows = timestamps.Sum(t => t.Length);
        var outIds = new string[rows];
        var outTimes = new DateTime[rows];
        var mean = new float[rows];
        var quantiles = levels.Select(_ => new float[rows]).ToArray();
        var row = 0;
        for (var s = 0; s < ids.Count; s++)
        {
            var forecast = forecasts[s];
            for (var step = 0; step < timestamps[s].Length; step++, row++)
            {
                outIds[row] = ids[s];
                outTimes[row] = timestamps[s][step];
                mean[row] = forecast.Mean[step];
                for (var level = 0; level < levels.Count; level++)
                    quantiles[level][row] = forecast.Quantiles[level][step];
            }
        }
        return new ForecastFrame(outIds, outTimes, mean, levels, quantiles);
    }
}
