using System.Runtime.InteropServices;
using Forecast.Core.Models;
using Forecast.Core.Series;

namespace Forecast.Trainer.Auto;

/// <summary>
/// Runs the candidates of one <see cref="AutoForecaster"/> batch by batch, so every model keeps its own parallelism
/// over series. A failure is kept per series, not per batch: when a batch throws, its series are retried one by one
/// (in parallel) and only those that fail again lose the candidate, which then cannot be chosen for them. Forecasts
/// are remembered by (candidate, history): the Trainer asks for the same histories again — the holdout call's final
/// fit is the future call's last backtest window — and such a history is fitted once. Without refitting, the later
/// backtest windows go to each candidate's filtering model (its earliest fit run over the longer history); what either
/// model computed for a history is what the other gets for it.
/// </summary>
internal sealed class CandidateRunner(IReadOnlyList<IForecaster> candidates, IReadOnlyList<IForecaster>? filters = null)
{
    private readonly Dictionary<HistoryKey, CandidateResult> _cache = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<IForecaster> Candidates => candidates;

    /// <summary>Forecasts of candidate <paramref name="candidate"/> for every history, in input order, and how many of them were computed (not remembered).</summary>
    public async Task<(CandidateResult[] Results, int Computed)> RunAsync(int candidate, IReadOnlyList<TimeSeries> histories, ForecastRequest request, string stage,
        IProgress<ForecastProgress>? progress, CancellationToken cancellationToken, bool filter = false)
    {
        var results = new CandidateResult[histories.Count];
        var keys = new HistoryKey[histories.Count];
        var missing = new List<int>();
        lock (_gate)
        {
            for (int i = 0; i < histories.Count; i++)
            {
                keys[i] = HistoryKey.Of(candidate, histories[i], request);
                if (_cache.TryGetValue(keys[i], out var known)) results[i] = known;
                else missing.Add(i);
            }
        }
        if (candidates[candidate] is ISeriesScope scope)
        {
            // Histories the candidate does not apply to (e.g. MSTL on a series too short for its weekly season) are not
            // asked for: the candidate is simply not available for them.
            foreach (var (i, why) in missing.Select(i => (i, scope.Excludes(histories[i]))).Where(x => x.Item2 is not null).ToList())
            {
                results[i] = CandidateResult.OutOfScope(why!);
                lock (_gate) _cache[keys[i]] = results[i];
                missing.Remove(i);
            }
        }
        if (missing.Count == 0) return (results, 0);

        var model = filter && filters is not null ? filters[candidate] : candidates[candidate];
        var batch = missing.Select(i => histories[i]).ToList();
        var batchRequest = request with { FutureCovariates = Restrict(request.FutureCovariates, batch) };
        var stageProgress = progress is null ? null : new Core.Threading.SynchronousProgress(p => progress.Report(p with { Stage = stage }));
        CandidateResult[] computed;
        try
        {
            var forecasts = await model.ForecastAsync(batch, batchRequest, stageProgress, cancellationToken).ConfigureAwait(false);
            computed = [.. forecasts.Select((f, j) => Check(f, batch[j], request))];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            computed = await OneByOneAsync(model, batch, batchRequest, cancellationToken).ConfigureAwait(false);
        }
        lock (_gate)
        {
            for (int j = 0; j < missing.Count; j++)
            {
                results[missing[j]] = computed[j];
                _cache[keys[missing[j]]] = computed[j];
            }
        }
        return (results, missing.Count);
    }

    /// <summary>Each series on its own, so one series the model cannot forecast does not cost the others.</summary>
    private static async Task<CandidateResult[]> OneByOneAsync(IForecaster model, List<TimeSeries> batch, ForecastRequest request, CancellationToken cancellationToken)
    {
        var results = new CandidateResult[batch.Count];
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        await Parallel.ForAsync(0, batch.Count, options, async (j, token) =>
        {
            try
            {
                var single = request with { FutureCovariates = Restrict(request.FutureCovariates, [batch[j]]) };
                var forecasts = await model.ForecastAsync([batch[j]], single, null, token).ConfigureAwait(false);
                results[j] = Check(forecasts[0], batch[j], request);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                results[j] = CandidateResult.Failed(e.Message);
            }
        }).ConfigureAwait(false);
        return results;
    }

    /// <summary>A forecast the ensembles can use: the right series and horizon, finite values.</summary>
    private static CandidateResult Check(SeriesForecast forecast, TimeSeries history, ForecastRequest request)
    {
        if (forecast.Id != history.Id || forecast.Mean.Length != request.Horizon || forecast.Quantiles.Length != request.Quantiles.Count)
            return CandidateResult.Failed($"the model returned a forecast of another shape (series '{forecast.Id}', {forecast.Mean.Length} steps)");
        if (!AllFinite(forecast.Mean) || forecast.Quantiles.Any(row => row.Length != request.Horizon || !AllFinite(row)))
            return CandidateResult.Failed("the forecast has missing or infinite values");
        return new CandidateResult(forecast, null);
    }

    private static bool AllFinite(double[] values) => Array.TrueForAll(values, double.IsFinite);

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, double[]>>? Restrict(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, double[]>>? covariates, IReadOnlyList<TimeSeries> batch)
    {
        if (covariates is null) return null;
        var restricted = new Dictionary<string, IReadOnlyDictionary<string, double[]>>(StringComparer.Ordinal);
        foreach (var series in batch)
            if (covariates.TryGetValue(series.Id, out var columns)) restricted[series.Id] = columns;
        return restricted;
    }

    /// <summary>
    /// A history by content: candidate, id, length, horizon and a hash of the values and of the series' future
    /// covariates (histories of one run are prefixes of the same cleaned series; the hash guards any other use).
    /// </summary>
    private readonly record struct HistoryKey(int Candidate, string Id, int Length, int Horizon, int Hash)
    {
        public static HistoryKey Of(int candidate, TimeSeries history, ForecastRequest request)
        {
            var hash = new HashCode();
            hash.AddBytes(MemoryMarshal.AsBytes(history.Values.AsSpan()));
            foreach (double level in request.Quantiles) hash.Add(level);
            if (history.Timestamps.Length > 0) hash.Add(history.Timestamps[^1]);
            foreach (var (name, values) in history.Covariates.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                hash.Add(name);
                hash.AddBytes(MemoryMarshal.AsBytes(values.AsSpan()));
            }
            if (request.FutureCovariates is not null && request.FutureCovariates.TryGetValue(history.Id, out var future))
            {
                foreach (var (name, values) in future.OrderBy(c => c.Key, StringComparer.Ordinal))
                {
                    hash.Add(name);
                    hash.AddBytes(MemoryMarshal.AsBytes(values.AsSpan()));
                }
            }
            return new HistoryKey(candidate, history.Id, history.Length, request.Horizon, hash.ToHashCode());
        }
    }
}

/// <summary>A candidate's forecast of one series, or why it has none.</summary>
internal sealed record CandidateResult(SeriesForecast? Forecast, string? Error)
{
    public static CandidateResult Failed(string error) => new(null, error);

    /// <summary>The candidate does not apply to the series (<see cref="ISeriesScope"/>): no forecast, and not a failure.</summary>
    public static CandidateResult OutOfScope(string why) => new(null, why) { NotApplicable = true };

    public bool NotApplicable { get; init; }
}
