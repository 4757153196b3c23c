using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Forecast.Core.Models;
using Forecast.Core.Models.Baselines;
using Forecast.Core.Series;
using Forecast.Core.Threading;
using Forecast.Statistical;

namespace Forecast.Trainer.Models;

/// <summary>
/// A classical model of Forecast.Statistical (ETS, ARIMA, Theta) as an <see cref="IForecaster"/>: one fit per series,
/// series in parallel (one per core unless max_parallelism says otherwise, the longest expected fits first), quantiles from the model's prediction
/// intervals (q and 1 − q are the bounds of the 100·|2q − 1|% interval, 0.5 the point forecast, as R's baselines read
/// them). A series the model cannot fit gets the seasonal naive forecast, or stops the run, as configured. The fitted
/// forms, parameters and criteria of the last call are the run's state: model/&lt;name&gt;/models.csv.
/// </summary>
/// <param name="modelFor">The model of a series' frequency when it depends on it (MSTL's periods: a day and a week of
/// hourly data); null: <paramref name="model"/> for every series.</param>
public sealed class StatisticalForecaster(string name, IStatisticalModel model, StatisticalSettings settings,
    Func<Frequency, IStatisticalModel>? modelFor = null) : IForecaster, IHasModelState, Auto.ISeriesScope
{
    private IReadOnlyList<FitRecord> _lastFits = [];
    private readonly LongestFirstOrder _order = new();
    // Per series id: its first fit (where that history started, the form it chose and, only for Filtering, the fitted
    // model: a fitted ETS keeps its whole state path, so keeping every series' fit when nothing filters with it would
    // hold the run's memory for nothing), shared by the copies WithFormsChosenOnce / RememberingFirstFits / Filtering make.
    private ConcurrentDictionary<string, FirstFit>? _first;
    private bool _reuseForms;
    private bool _keepFits;
    private bool _filter;
    // Per series id: where re-estimations of its chosen form start (WithFormsChosenOnce's warmStart) — the starts made from
    // its latest fits (coefficients only, not the fitted models with their states), each with the length of the history
    // it was fitted to. A history starts from the longest strictly shorter one's, so a history fitted again (a batch
    // retried series by series) starts where it did the first time, whichever series of the batch had finished.
    private ConcurrentDictionary<string, WarmStarts>? _latest;

    public string Name => name;

    public IStatisticalModel Model => model;

    public StatisticalSettings Settings => settings;

    /// <summary>
    /// A copy that chooses each series' form once — ETS form or ARIMA orders, on the first history of that series (by
    /// id) it fits — and on every later history of the series only re-estimates that form's parameters
    /// (<see cref="StatisticalForms"/>), as statsforecast's cross-validation reuses a fitted model's specification. For
    /// a rolling-origin backtest whose windows come in time order: the search runs on the earliest window, the later
    /// windows and the final fit cost one estimation each. A history on which the form cannot be estimated gets a fresh
    /// search (the first choice is kept for the others). <paramref name="keepFirstFits"/>: also keep each series' first
    /// fitted model, for <see cref="Filtering"/>. <paramref name="warmStart"/>: re-estimate a form from the series'
    /// previous fit of it (ARIMA: <see cref="FixedOrderArima.StartingFrom"/>, exact likelihood from the previous optimum)
    /// instead of from R's default start, and from that default start where the warm start fails.
    /// </summary>
    public StatisticalForecaster WithFormsChosenOnce(bool keepFirstFits = false, bool warmStart = false) =>
        new(name, model, settings, modelFor)
        {
            _first = new(StringComparer.Ordinal),
            _reuseForms = true,
            _keepFits = keepFirstFits,
            _latest = warmStart ? new(StringComparer.Ordinal) : null,
        };

    /// <summary>A copy that searches every history afresh (as this one) but remembers each series' first fit, for <see cref="Filtering"/>.</summary>
    public StatisticalForecaster RememberingFirstFits() => new(name, model, settings, modelFor) { _first = new(StringComparer.Ordinal), _keepFits = true };

    /// <summary>
    /// A view of this copy (made by <see cref="WithFormsChosenOnce"/> or <see cref="RememberingFirstFits"/>) that
    /// estimates nothing where it can: a history of a series already fitted, starting where that first fit's history
    /// started, is forecast by the first fit applied to it (ETS: R's <c>ets(y, model = fit, use.initial.values =
    /// TRUE)</c>; ARIMA: <c>Arima(y, model = fit)</c>; Theta, which has no such filter, is fitted) — the later windows of
    /// a rolling-origin backtest without refitting, as statsforecast's <c>cross_validation(refit=False)</c>. Any other
    /// history, or one the filter fails on, is fitted as this copy fits it.
    /// </summary>
    public StatisticalForecaster Filtering()
    {
        if (_first is null || !_keepFits)
            throw new InvalidOperationException("Filtering needs a copy that remembers first fits (WithFormsChosenOnce(keepFirstFits: true) or RememberingFirstFits).");
        return new(name, model, settings, modelFor) { _first = _first, _reuseForms = _reuseForms, _keepFits = true, _filter = true };
    }

    public Task<IReadOnlyList<SeriesForecast>> ForecastAsync(
        IReadOnlyList<TimeSeries> histories, ForecastRequest request, IProgress<ForecastProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ForecastRequestValidation.ThrowIfInvalid(request);
        var levels = StatisticalForecast.LevelsFor(request.Quantiles);
        var results = new SeriesForecast[histories.Count];
        var records = new FitRecord[histories.Count];
        var reporter = new MonotonicProgress(progress, histories.Count, $"{name} fit");
        var options = new ParallelOptions
        {
            CancellationToken = cancellationToken,
            MaxDegreeOfParallelism = settings.MaxParallelism ?? Environment.ProcessorCount,
        };
        // One series at a time, longest expected fit first, so the batch does not end on one core (see LongestFirstOrder).
        var order = Partitioner.Create(_order.Of(histories), EnumerablePartitionerOptions.NoBuffering);
        try
        {
            Parallel.ForEach(order, options, i =>
            {
                long started = Stopwatch.GetTimestamp();
                (results[i], records[i]) = ForecastOne(histories[i], request, levels);
                _order.Record(histories[i].Id, Stopwatch.GetElapsedTime(started).TotalSeconds);
                reporter.OneMoreDone();
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
        _lastFits = records;
        return Task.FromResult<IReadOnlyList<SeriesForecast>>(results);
    }

    private (SeriesForecast Forecast, FitRecord Record) ForecastOne(TimeSeries history, ForecastRequest request, IReadOnlyList<double> levels)
    {
        if (history.Frequency is not { } frequency)
            throw new InvalidOperationException($"Series '{history.Id}' has no frequency; {name} needs one to date the forecast (set cleaning.frequency).");
        int m = settings.SeasonLength ?? frequency.DefaultSeasonLength;
        try
        {
            var fit = Fit(ModelFor(frequency), history.Id, history.Timestamps.Length > 0 ? history.Timestamps[0] : default, history.Values, m);
            var forecast = fit.Forecast(request.Horizon, levels);
            var quantiles = request.Quantiles.Select(forecast.Quantile).ToArray();
            var timestamps = frequency.Following(history.Timestamps[^1], request.Horizon);
            return (new SeriesForecast(history.Id, timestamps, forecast.Mean, request.Quantiles, quantiles),
                new FitRecord(history.Id, m, fit, null));
        }
        catch (Exception e) when (e is UnsuitableSeriesException or ModelFitException)
        {
            if (settings.OnError == StatisticalFailure.Fail)
                throw new InvalidOperationException($"{name} could not be fitted to series '{history.Id}': {e.Message} (set model.{name}.on_error: seasonal_naive to fall back to the seasonal naive forecast).", e);
            var fallback = new SeasonalNaiveForecaster(m).ForecastAsync([history], request).GetAwaiter().GetResult()[0];
            return (fallback, new FitRecord(history.Id, m, null, e.Message));
        }
    }

    private IStatisticalModel ModelFor(Frequency frequency) => modelFor?.Invoke(frequency) ?? model;

    /// <summary>Why the model would refuse <paramref name="history"/> outright (too short for its seasons, gaps it cannot take), or null.</summary>
    public string? Excludes(TimeSeries history)
    {
        if (history.Frequency is not { } frequency) return null;
        int m = settings.SeasonLength ?? frequency.DefaultSeasonLength;
        return ModelFor(frequency).Unsuitable(history.Values, m);
    }

    private IFittedModel Fit(IStatisticalModel model, string id, DateTime start, double[] values, int m)
    {
        if (_first is null) return model.Fit(values, m);
        if (_first.TryGetValue(id, out var first))
        {
            if (_filter && first.Start == start && first.Fit is not null && StatisticalForms.Filter(first.Fit, values) is { } filtered) return filtered;
            if (!_reuseForms || ReferenceEquals(first.Form, model)) return model.Fit(values, m);
            if (WarmStarted(id, first.Form, values, m) is { } warm) return warm;
            try
            {
                return Latest(id, first.Form.Fit(values, m), values.Length);
            }
            catch (Exception e) when (e is UnsuitableSeriesException or ModelFitException or ArgumentException)
            {
                return model.Fit(values, m); // this stretch does not admit the form: a fresh search for it alone
            }
        }
        var fit = model.Fit(values, m);
        _first.TryAdd(id, new FirstFit(start, StatisticalForms.FixedFormOf(model, fit) ?? model, _keepFits ? fit : null));
        return Latest(id, fit, values.Length);
    }

    /// <summary>
    /// The form re-estimated from the series' latest fit of it, or null where there is none to start from or the warm
    /// start fails: a start outside the admissible region on these data (arima's "non-stationary AR part") or an
    /// optimisation that fails from it. The caller then re-estimates from R's default start, as without warm starts.
    /// </summary>
    private IFittedModel? WarmStarted(string id, IStatisticalModel form, double[] values, int m)
    {
        if (_latest is null || !_latest.TryGetValue(id, out var starts) || starts.Before(values.Length) is not { } from
            || StatisticalForms.StartingFrom(form, from) is not { } warm) return null;
        try
        {
            return Latest(id, warm.Fit(values, m), values.Length);
        }
        catch (Exception e) when (e is UnsuitableSeriesException or ModelFitException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Remembers where a re-estimation after <paramref name="fit"/> starts (when warm starts are on and the form has them).</summary>
    private IFittedModel Latest(string id, IFittedModel fit, int length)
    {
        if (_latest is not null && StatisticalForms.StartFrom(fit) is { } from)
            _latest.AddOrUpdate(id, _ => WarmStarts.Empty.With(length, from), (_, starts) => starts.With(length, from));
        return fit;
    }

    /// <summary>A series' warm starts by the length of the history each was fitted to (a few: a backtest's windows and final fits).</summary>
    private sealed record WarmStarts(ImmutableSortedDictionary<int, IStatisticalModel> ByLength)
    {
        public static readonly WarmStarts Empty = new(ImmutableSortedDictionary<int, IStatisticalModel>.Empty);

        public WarmStarts With(int length, IStatisticalModel from) => new(ByLength.SetItem(length, from));

        /// <summary>The start made from the fit to the longest history shorter than <paramref name="length"/>, or null.</summary>
        public IStatisticalModel? Before(int length) => ByLength.LastOrDefault(p => p.Key < length).Value;
    }

    private sealed record FirstFit(DateTime Start, IStatisticalModel Form, IFittedModel? Fit);

    /// <summary>model/&lt;name&gt;/models.csv: per series the season length, the fitted form (or the fallback and why), σ², AICc and parameters.</summary>
    public IReadOnlyList<(string Name, byte[] Content)> ExportState()
    {
        if (_lastFits.Count == 0) return [];
        var csv = new StringBuilder("unique_id,season_length,model,status,sigma2,aicc,parameters\n");
        foreach (var record in _lastFits)
        {
            csv.Append(Field(record.Id)).Append(',').Append(record.SeasonLength.ToString(CultureInfo.InvariantCulture)).Append(',');
            if (record.Fit is { } fit)
            {
                csv.Append(Field(fit.Description)).Append(",ok,")
                    .Append(Number(fit.Sigma2)).Append(',')
                    .Append(fit.Aicc is { } aicc ? Number(aicc) : "").Append(',')
                    .Append(Field(StatisticalParameters.Describe(fit)));
            }
            else
            {
                csv.Append("seasonal_naive,").Append(Field("fallback: " + record.Error)).Append(",,,");
            }
            csv.Append('\n');
        }
        return [($"{name}/models.csv", Encoding.UTF8.GetBytes(csv.ToString()))];
    }

    private static string Number(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private sealed record FitRecord(string Id, int SeasonLength, IFittedModel? Fit, string? Error);
}
