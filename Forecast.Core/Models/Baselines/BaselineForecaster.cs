using Forecast.Core.Series;
using Forecast.Core.Statistics;
using Forecast.Core.Threading;
using Forecast.Statistical;

namespace Forecast.Core.Models.Baselines;

/// <summary>
/// The batch loop shared by the baselines: each series is fitted on its own (<see cref="Fit"/>), then its quantiles
/// come from the residuals (<see cref="IntervalMethod"/>). Series run in parallel on all cores (results in input
/// order); the batch checks cancellation and reports progress about a hundred times. Cheap enough to run without
/// awaiting anything, so the task is already complete when it is returned.
/// </summary>
public abstract class BaselineForecaster(IntervalMethod intervals) : IForecaster
{
    public abstract string Name { get; }

    public IntervalMethod Intervals { get; } = intervals;

    public Task<IReadOnlyList<SeriesForecast>> ForecastAsync(
        IReadOnlyList<TimeSeries> histories,
        ForecastRequest request,
        IProgress<ForecastProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ForecastRequestValidation.ThrowIfInvalid(request);
        // Series are independent: forecast them on all cores; each result lands at its input position.
        var results = new SeriesForecast[histories.Count];
        var reporter = new MonotonicProgress(progress, histories.Count, Name);
        ParallelLoop.For(histories.Count, () => 0, (i, _, scratch) =>
        {
            results[i] = ForecastOne(histories[i], request);
            reporter.OneMoreDone();
            return scratch;
        }, cancellationToken);
        return Task.FromResult<IReadOnlyList<SeriesForecast>>(results);
    }

    /// <summary>Point forecast, standard errors and residuals of one history over <paramref name="horizon"/> steps.</summary>
    internal abstract BaselineFit Fit(TimeSeries history, int horizon);

    private SeriesForecast ForecastOne(TimeSeries history, ForecastRequest request)
    {
        if (history.Length == 0)
            throw new ArgumentException($"Series '{history.Id}' is empty; a {Name} forecast needs at least one observation.", nameof(history));
        if (history.Frequency is not { } frequency)
            throw new ArgumentException($"Series '{history.Id}' has no frequency; clean the data first (or set cleaning.frequency) so forecast timestamps can be generated.", nameof(history));

        var fit = Fit(history, request.Horizon);
        var quantiles = new double[request.Quantiles.Count][];
        double[]? sortedResiduals = null;
        if (Intervals == IntervalMethod.Empirical)
        {
            sortedResiduals = (double[])fit.Residuals.Clone();
            Array.Sort(sortedResiduals);
        }
        for (int q = 0; q < quantiles.Length; q++)
        {
            double level = request.Quantiles[q];
            var row = new double[request.Horizon];
            if (sortedResiduals is null)
            {
                double z = fit.DegreesOfFreedom is { } df ? StudentT.Quantile(level, df) : StandardNormal.Quantile(level);
                for (int h = 0; h < row.Length; h++) row[h] = fit.Point[h] + z * fit.StandardError[h];
            }
            else
            {
                double r = sortedResiduals.Length == 0 ? 0 : SampleQuantile.OfSorted(sortedResiduals, level);
                for (int h = 0; h < row.Length; h++)
                {
                    double widen = fit.ResidualScale > 0 ? fit.StandardError[h] / fit.ResidualScale : 1;
                    row[h] = fit.Point[h] + r * widen;
                }
            }
            quantiles[q] = row;
        }
        var timestamps = frequency.Following(history.Timestamps[^1], request.Horizon);
        return new SeriesForecast(history.Id, timestamps, fit.Point, request.Quantiles, quantiles);
    }

    /// <summary>Root mean square of the finite values (R's <c>sqrt(mean(res^2, na.rm = TRUE))</c>); 0 when there are none.</summary>
    internal static double RootMeanSquare(IReadOnlyList<double> residuals)
    {
        if (residuals.Count == 0) return 0;
        double sum = 0;
        foreach (double r in residuals) sum += r * r;
        return Math.Sqrt(sum / residuals.Count);
    }
}
