using Forecast.Core.Models;
using Forecast.Core.Series;

namespace Forecast.Trainer.Auto;

/// <summary>
/// <c>model: auto</c>: per series, the candidate or ensemble with the best rolling-origin backtest score, as
/// statsforecast's cross-validation model selection and AutoGluon-TimeSeries' validation windows and weighted
/// ensemble. Each call (one batch of histories):
/// <list type="number">
/// <item>backtests every candidate on the last <c>windows</c> windows of the histories it is given
/// (<see cref="BacktestPlan"/>) — the Trainer passes histories that end before its evaluation holdout, so the holdout
/// is never seen;</item>
/// <item>scores candidates, the mean and median of each series' top_k and the greedy ensemble by <c>metric</c>
/// (<see cref="Selector"/>), and picks per series (or overall);</item>
/// <item>fits only the models the choices need on the whole histories (falling back along the series' order of
/// preference when a model fails) and combines them (<see cref="ForecastCombiner"/>).</item>
/// </list>
/// Every candidate runs batch by batch with its own parallelism over series. The choices of every call are the run's
/// model state: model/auto/selection.csv and model/auto/summary.yaml.
/// </summary>
public sealed class AutoForecaster : IForecaster, IHasModelState
{
    private readonly AutoSettings _settings;
    private readonly CandidateRunner _runner;
    private readonly StageTimes _times = new();
    private int _callCount;
    private readonly List<(DateTime?[] Cutoffs, Selection Selection, int[] Final, string?[] Notes)> _calls = [];
    private readonly List<(DateTime?[] Cutoffs, Selection Selection, int[] Final, string?[] Notes)> _quantileCalls = [];

    /// <param name="filters">Without refitting (<see cref="AutoSettings.Refit"/> false): per candidate, the model that
    /// forecasts the later backtest windows (the candidate's earliest fit applied to the longer history, or the
    /// candidate itself where it has no such filter); null: the candidates fit every window.</param>
    public AutoForecaster(AutoSettings settings, IReadOnlyList<IForecaster> candidates, IReadOnlyList<IForecaster>? filters = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0) throw new ArgumentException("model: auto needs at least one candidate.", nameof(candidates));
        if (candidates.Count != settings.Candidates.Count)
            throw new ArgumentException($"{candidates.Count} models for {settings.Candidates.Count} candidate names.", nameof(candidates));
        _settings = settings;
        if (filters is not null && filters.Count != candidates.Count)
            throw new ArgumentException($"{filters.Count} filtering models for {candidates.Count} candidates.", nameof(filters));
        _runner = new CandidateRunner(candidates, filters);
    }

    public string Name => AutoModelFactory.ModelName;

    public AutoSettings Settings => _settings;

    public async Task<IReadOnlyList<SeriesForecast>> ForecastAsync(
        IReadOnlyList<TimeSeries> histories, ForecastRequest request, IProgress<ForecastProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(histories);
        ForecastRequestValidation.ThrowIfInvalid(request);
        if (_settings.Metric == SelectionMetric.Wql && request.Quantiles.Count == 0)
            throw new InvalidOperationException("model.auto.metric is wql, which scores quantiles, but no quantile levels are requested; set evaluation.quantiles or model.auto.metric: mase.");
        if (histories.Count == 0) return [];

        int call = Interlocked.Increment(ref _callCount);
        var plan = BacktestPlan.Create(histories, request.Horizon, _settings, SeasonLength);
        var results = await BacktestAsync(call, plan, request, progress, cancellationToken).ConfigureAwait(false);
        var selecting = StageTimes.Start.Now();
        var selection = Selector.Select(histories, plan, results, _settings, request.Quantiles);
        _times.Add(call, "selection", "", histories.Count, 0, selecting);
        var (forecasts, final, notes) = await ForecastChosenAsync(call, histories, request, selection, progress, cancellationToken).ConfigureAwait(false);
        DateTime?[] cutoffs = [.. histories.Select(h => h.Timestamps.Length > 0 ? h.Timestamps[^1] : (DateTime?)null)];
        if (_settings.Quantiles == QuantileChoice.Wql && _settings.Metric != SelectionMetric.Wql && request.Quantiles.Count > 0)
        {
            // The quantiles judged by their own loss: a second choice by WQL over the same backtest; the final fits it
            // needs are mostly those of the point choice (the runner remembers them).
            selecting = StageTimes.Start.Now();
            var byWql = Selector.Select(histories, plan, results, _settings with { Metric = SelectionMetric.Wql }, request.Quantiles);
            _times.Add(call, "selection_quantiles", "", histories.Count, 0, selecting);
            var (quantileForecasts, quantileFinal, quantileNotes) = await ForecastChosenAsync(call, histories, request, byWql, progress, cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < forecasts.Length; i++) forecasts[i] = forecasts[i] with { Quantiles = quantileForecasts[i].Quantiles };
            lock (_calls) _quantileCalls.Add((cutoffs, byWql, quantileFinal, quantileNotes));
        }
        lock (_calls) _calls.Add((cutoffs, selection, final, notes));
        return forecasts;
    }

    /// <summary>model/auto/selection.csv (per series and call: every option's backtest score and the choice), model/auto/summary.yaml,
    /// model/auto/timing.csv (<see cref="StageTimes"/>) and, with quantiles: wql, model/auto/quantile_selection.csv (the same for the quantiles' choice).</summary>
    public IReadOnlyList<(string Name, byte[] Content)> ExportState()
    {
        lock (_calls)
        {
            if (_calls.Count == 0) return [];
            List<(string, byte[])> files =
            [
                ("auto/" + SelectionTable.FileName, SelectionTable.Write(_settings, _calls)),
                ("auto/" + SelectionTable.SummaryFileName, SelectionTable.Summary(_settings, _calls)),
            ];
            if (_quantileCalls.Count > 0)
                files.Add(("auto/" + SelectionTable.QuantileFileName, SelectionTable.Write(_settings with { Metric = SelectionMetric.Wql }, _quantileCalls)));
            if (!_times.IsEmpty) files.Add(("auto/" + StageTimes.FileName, _times.Write()));
            return files;
        }
    }

    /// <summary>What a candidate sees of a history: the last max_history points (all when it is not set).</summary>
    private TimeSeries Context(TimeSeries history) =>
        _settings.MaxHistory is { } max && history.Length > max ? history.Slice(history.Length - max, max) : history;

    private int SeasonLength(TimeSeries series) => _settings.SeasonLength ?? series.Frequency?.DefaultSeasonLength ?? 1;

    /// <summary>Every candidate on every backtest window: results[candidate][window][position in the window].</summary>
    private async Task<CandidateResult[][][]> BacktestAsync(int call, BacktestPlan plan, ForecastRequest request, IProgress<ForecastProgress>? progress,
        CancellationToken cancellationToken)
    {
        var results = new CandidateResult[_settings.Candidates.Count][][];
        for (int c = 0; c < results.Length; c++)
        {
            results[c] = new CandidateResult[plan.Windows.Count][];
            foreach (var window in plan.Windows)
            {
                if (window.Histories.Length == 0) { results[c][window.Index] = []; continue; }
                string stage = $"auto backtest {_settings.Candidates[c]} (window {window.Index + 1}/{plan.Windows.Count})";
                var windowRequest = request with { FutureCovariates = window.FutureCovariates };
                var start = StageTimes.Start.Now();
                // Without refitting, the windows after a series' first are forecast by its earliest fit (the windows run in time order).
                bool filter = !_settings.Refit && window.Index > 0;
                (results[c][window.Index], int computed) = await _runner.RunAsync(c, [.. window.Histories.Select(Context)], windowRequest, stage, progress, cancellationToken, filter).ConfigureAwait(false);
                _times.Add(call, $"backtest_{window.Index + 1}", _settings.Candidates[c], window.Histories.Length, computed, start);
            }
        }
        return results;
    }

    /// <summary>
    /// Runs the models the choices need on the whole histories — each candidate once, on the series that need it — and
    /// combines them. A series whose choice cannot be made (its model failed) moves to its next option.
    /// </summary>
    private async Task<(SeriesForecast[] Forecasts, int[] Final, string?[] Notes)> ForecastChosenAsync(int call, IReadOnlyList<TimeSeries> histories,
        ForecastRequest request, Selection selection, IProgress<ForecastProgress>? progress, CancellationToken cancellationToken)
    {
        int n = histories.Count;
        var forecasts = new SeriesForecast[n];
        var final = new int[n];
        var notes = selection.Series.Select(s => s.Note).ToArray();
        var position = new int[n];
        var full = new CandidateResult?[_settings.Candidates.Count][];
        for (int c = 0; c < full.Length; c++) full[c] = new CandidateResult?[n];
        var pending = Enumerable.Range(0, n).ToList();
        while (pending.Count > 0)
        {
            var needs = new SortedDictionary<int, List<int>>();
            foreach (int i in pending)
            {
                foreach (var (c, _) in MembersOf(selection, i, selection.Series[i].Preference[position[i]]))
                {
                    if (full[c][i] is not null) continue;
                    if (!needs.TryGetValue(c, out var series)) needs[c] = series = [];
                    series.Add(i);
                }
            }
            foreach (var (c, series) in needs)
            {
                var batch = series.Select(i => Context(histories[i])).ToList();
                var start = StageTimes.Start.Now();
                var (run, computed) = await _runner.RunAsync(c, batch, request, $"auto {_settings.Candidates[c]}", progress, cancellationToken).ConfigureAwait(false);
                _times.Add(call, "final", _settings.Candidates[c], batch.Count, computed, start);
                for (int j = 0; j < series.Count; j++) full[c][series[j]] = run[j];
            }

            var next = new List<int>();
            foreach (int i in pending)
            {
                int option = selection.Series[i].Preference[position[i]];
                var members = MembersOf(selection, i, option);
                var kind = selection.EnsembleOf(option);
                SeriesForecast? forecast = kind is null
                    ? full[option][i]!.Forecast
                    : Selector.Combine(kind.Value, members, c => full[c][i]!.Forecast);
                if (forecast is not null)
                {
                    forecast = IntervalScaling.Apply(forecast, selection.Series[i].QuantileScale(option));
                    forecasts[i] = forecast;
                    final[i] = option;
                    var failed = members.Where(m => full[m.Candidate][i]!.Forecast is null).Select(m => _settings.Candidates[m.Candidate]).ToList();
                    if (failed.Count > 0) notes[i] = Join(notes[i], $"{string.Join(", ", failed)} failed on the whole history and left the ensemble");
                    continue;
                }
                string why = members.Count == 0
                    ? $"{selection.Options[option]} has no members"
                    : string.Join("; ", members.Select(m => $"{_settings.Candidates[m.Candidate]}: {full[m.Candidate][i]!.Error}"));
                notes[i] = Join(notes[i], $"{selection.Options[option]} not usable on the whole history ({why})");
                if (++position[i] >= selection.Series[i].Preference.Length)
                    throw new InvalidOperationException($"model: auto has no candidate that can forecast series '{histories[i].Id}': {notes[i]}");
                next.Add(i);
            }
            pending = next;
        }
        return (forecasts, final, notes);
    }

    private static List<(int Candidate, double Weight)> MembersOf(Selection selection, int series, int option) =>
        selection.EnsembleOf(option) is { } kind
            ? Selector.Members(kind, selection.Series[series].TopCandidates, selection.Series[series].GreedyWeights)
            : [(option, 1.0)];

    private static string Join(string? first, string second) => first is null ? second : $"{first}; {second}";
}
