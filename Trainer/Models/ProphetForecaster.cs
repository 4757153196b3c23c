using System.Text;
using Forecast.Core.Models;
using Forecast.Core.Series;
using Forecast.Prophet;
using ProphetModel = Forecast.Prophet.Prophet;

namespace Forecast.Trainer.Models;

/// <summary>
/// Prophet as an <see cref="IForecaster"/>: one model per series, fitted and predicted in parallel by
/// <see cref="ProphetBatch"/> (bounded by the core count), with progress and cancellation. The point forecast is
/// prophet's yhat; quantiles are percentiles of prophet's predictive samples (forecaster.py:
/// <c>predictive_samples</c>, uncertainty_samples paths of future trend changes plus observation noise), so they are
/// prophet's own predictive distribution, not a Gaussian guess. The fitted models of the last call are the run's state:
/// model/prophet/&lt;unique_id&gt;.json in prophet 1.1's <c>model_to_json</c> format.
/// </summary>
public sealed class ProphetForecaster(ProphetSettings settings) : IForecaster, IHasModelState, IUsesFutureCovariates, Pipeline.IHasRunWarnings
{
    private const string RegressorsKey = "model.prophet.regressors";

    private IReadOnlyList<ProphetBatchResult> _lastFits = [];
    private readonly List<ProphetFitDiagnostics> _diagnostics = [];
    private int _calls;

    public string Name => ProphetModelFactory.ModelName;

    public ProphetSettings Settings => settings;

    public IReadOnlyList<string> FutureCovariateNames => [.. settings.Regressors.Select(r => r.Name)];

    public string FutureCovariatesKey => RegressorsKey;

    public async Task<IReadOnlyList<SeriesForecast>> ForecastAsync(
        IReadOnlyList<TimeSeries> histories, ForecastRequest request, IProgress<ForecastProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ForecastRequestValidation.ThrowIfInvalid(request);
        if (settings.Options.UncertaintySamples == 0 && request.Quantiles.Count > 0)
            throw new InvalidOperationException(
                "model.prophet.uncertainty_samples is 0, so prophet draws no predictive samples and cannot give the requested quantiles; set uncertainty_samples > 0 (prophet's default is 1000) or evaluation.quantiles: [].");

        var batch = histories.Select(ToProphetSeries).ToList();
        var frequencies = histories.ToDictionary(h => h.Id, FrequencyOf, StringComparer.Ordinal);
        // Fits finish on several threads at once: report under a lock, and only forward progress (never backwards).
        var gate = new Lock();
        int reported = 0;
        var batchProgress = progress is null ? null : new ForwardingProgress<ProphetBatchProgress>(p =>
        {
            lock (gate)
            {
                if (p.Completed <= reported) return;
                reported = p.Completed;
                progress.Report(new ForecastProgress(p.Completed, p.Total, "prophet fit"));
            }
        });
        var results = await ProphetBatch.FitPredictAsync(
            batch,
            CreateModel,
            (model, series) => FutureFrame(series, frequencies[series.Id], request),
            new ProphetFitOptions { Mode = settings.FitMode },
            maxDegreeOfParallelism: settings.MaxParallelism,
            progress: batchProgress,
            cancellationToken: cancellationToken).ConfigureAwait(false);

        var call = Interlocked.Increment(ref _calls);
        lock (_diagnostics)
        {
            _diagnostics.AddRange(results.Where(r => r.Succeeded).Select(r => new ProphetFitDiagnostics(call, r.Id, settings.FitMode, r.Model!.Optimization, r.FitTime)));
        }

        var failures = results.Where(r => !r.Succeeded).ToList();
        if (failures.Count > 0)
            throw new InvalidOperationException(
                $"Prophet failed on {failures.Count} of {results.Count} series; first: series '{failures[0].Id}': {failures[0].Error!.Message}", failures[0].Error);

        var forecasts = new SeriesForecast[results.Count];
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = settings.MaxParallelism ?? Environment.ProcessorCount };
        await Parallel.ForAsync(0, results.Count, options, (i, token) =>
        {
            forecasts[i] = ToSeriesForecast(results[i], batch[i], frequencies[batch[i].Id], request, token);
            return ValueTask.CompletedTask;
        }).ConfigureAwait(false);
        _lastFits = results;
        return forecasts;
    }

    /// <summary>
    /// model/prophet/&lt;id&gt;.json per series of the last forecast (the final fit on the full history), and
    /// model/prophet/diagnostics.csv with every fit of the run (<see cref="ProphetFitDiagnostics"/>).
    /// </summary>
    public IReadOnlyList<(string Name, byte[] Content)> ExportState()
    {
        var used = new HashSet<string>(StringComparer.Ordinal) { "diagnostics" };
        List<(string Name, byte[] Content)> files = [.. _lastFits.Where(r => r.Model is not null)
            .Select(r => ($"prophet/{Core.Artifacts.SeriesFileNames.For(r.Id, used)}.json", Encoding.UTF8.GetBytes(ProphetSerializer.ModelToJson(r.Model!))))];
        lock (_diagnostics)
        {
            files.Add(("prophet/diagnostics.csv", ProphetFitDiagnostics.ToCsv(_diagnostics)));
        }

        return files;
    }

    /// <summary>The warning for fits that stopped short of the optimum (KKT residual above its tolerance), if any.</summary>
    public IReadOnlyList<string> RunWarnings()
    {
        lock (_diagnostics)
        {
            return ProphetFitDiagnostics.Warning(_diagnostics) is { } warning ? [warning] : [];
        }
    }

    private ProphetModel CreateModel(ProphetSeries series)
    {
        var model = new ProphetModel(settings.Options);
        foreach (var s in settings.Seasonalities)
            model.AddSeasonality(s.Name, s.Period, s.FourierOrder, s.PriorScale, s.Mode, s.Condition);
        if (settings.Country is { } country) model.AddCountryHolidays(country);
        foreach (var r in settings.Regressors) model.AddRegressor(r.Name, r.PriorScale, r.Standardize, r.Mode);
        return model;
    }

    private ProphetSeries ToProphetSeries(TimeSeries series)
    {
        var frame = new ProphetFrame(series.Timestamps, series.Values);
        AddCapAndFloor(frame);
        foreach (var r in settings.Regressors)
        {
            if (!series.Covariates.TryGetValue(r.Name, out var history))
                throw new InvalidOperationException($"{RegressorsKey} names '{r.Name}', which series '{series.Id}' does not have; list it under data.covariates so it is loaded.");
            frame.Add(r.Name, history);
        }
        return new ProphetSeries(series.Id, frame);
    }

    private ProphetFrame FutureFrame(ProphetSeries series, Frequency frequency, ForecastRequest request)
    {
        var frame = new ProphetFrame(frequency.Following(series.History.Ds[^1], request.Horizon));
        AddCapAndFloor(frame);
        foreach (var r in settings.Regressors) frame.Add(r.Name, request.FutureValues(series.Id, r.Name, RegressorsKey));
        return frame;
    }

    private void AddCapAndFloor(ProphetFrame frame)
    {
        if (settings.Cap is { } cap) frame.Add("cap", cap);
        if (settings.Floor is { } floor) frame.Add("floor", floor);
    }

    private SeriesForecast ToSeriesForecast(ProphetBatchResult result, ProphetSeries series, Frequency frequency, ForecastRequest request, CancellationToken token)
    {
        var model = result.Model!;
        var forecast = result.Forecast!;
        var quantiles = new double[request.Quantiles.Count][];
        if (request.Quantiles.Count > 0)
        {
            var samples = model.PredictiveSamples(FutureFrame(series, frequency, request), token);
            for (int q = 0; q < quantiles.Length; q++) quantiles[q] = new double[request.Horizon];
            var row = new double[samples.Samples];
            for (int h = 0; h < request.Horizon; h++)
            {
                samples.YhatRow(h).CopyTo(row); // Percentile.Linear sorts its input
                for (int q = 0; q < quantiles.Length; q++)
                    quantiles[q][h] = Percentile.Linear(row, request.Quantiles[q]);
            }
        }
        return new SeriesForecast(result.Id, forecast.Ds, forecast.Yhat, request.Quantiles, quantiles);
    }

    private static Frequency FrequencyOf(TimeSeries series) => series.Frequency
        ?? throw new InvalidOperationException($"Series '{series.Id}' has no frequency; prophet needs one to date the forecast (set cleaning.frequency).");
}
