using static TorchSharp.torch;

namespace Forecast.Chronos.Common;

/// <summary>
/// Runs a pipeline over many series in batches, in input order, with progress (series done) and cancellation
/// between batches; each batch runs in its own dispose scope so memory stays flat over thousands of series.
/// </summary>
public static class SeriesBatches
{
    /// <param name="forecastBatch">(series of the batch) → (quantiles (B, H, Q), mean (B, H)).</param>
    public static IReadOnlyList<QuantileForecast> Forecast(IReadOnlyList<float[]> series, int batchSize,
        IReadOnlyList<float> levels, Func<IReadOnlyList<float[]>, (Tensor Quantiles, Tensor Mean)> forecastBatch,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var results = new List<QuantileForecast>(series.Count);
        for (var start = 0; start < series.Count; start += batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = series.Skip(start).Take(batchSize).ToList();
            using (var scope = NewDisposeScope())
            {
                var (quantiles, mean) = forecastBatch(batch);
                var horizon = (int)mean.shape[1];
                var q = quantiles.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
                var m = mean.to_type(ScalarType.Float32).contiguous().data<float>().ToArray();
                for (var row = 0; row < batch.Count; row++)
                {
                    var perLevel = new float[levels.Count][];
                    for (var level = 0; level < levels.Count; level++)
                    {
                        perLevel[level] = new float[horizon];
                        for (var step = 0; step < horizon; step++)
                            perLevel[level][step] = q[(row * horizon + step) * levels.Count + level];
                    }
                    results.Add(new QuantileForecast(levels, perLevel, m.AsSpan(row * horizon, horizon).ToArray()));
                }
            }
            progress?.Report(results.Count);
        }
        return results;
    }
}
