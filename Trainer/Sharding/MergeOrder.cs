using Forecast.Core.Eda;
using Forecast.Core.Evaluation;
using Forecast.Trainer.Configuration;

namespace Forecast.Trainer.Sharding;

/// <summary>
/// One pass over the shards' <see cref="ShardSeriesFile"/>s side by side, taking series in global order (ordinal by
/// id, the order of a single run: each shard's file is already in that order, so this is a k-way merge). It records
/// which shard each series comes from and the lengths of its entries, and adds every series, in that order, to the
/// same accumulators a single run reduces through — so the dataset-level numbers come out bit for bit the same.
/// Memory: a few integers per series and one record per shard in flight.
/// </summary>
internal sealed class MergeOrder
{
    /// <summary>Per series in global order, the index of its shard.</summary>
    public List<int> Shards { get; } = [];

    /// <summary>Per shard, per series in the shard's order: entry lengths in cleaning.yaml, eda.yaml, metrics.yaml, forecasts.csv; rows in forecasts.parquet.</summary>
    public List<int>[] Cleaning { get; }
    public List<int>[] Eda { get; }
    public List<int>[] Metrics { get; }
    public List<int>[] ForecastCsv { get; }
    public List<int>[] ParquetRows { get; }

    /// <summary>Per window, per shard: block lengths in evaluation/forecasts.csv.</summary>
    public List<int>[][] EvaluationCsv { get; }

    /// <summary>The first series in global order (as many as the most plots of either kind).</summary>
    public List<string> FirstIds { get; } = [];

    public OverallEdaAccumulator OverallEda { get; } = new();

    public DatasetScoreAccumulator Score { get; }

    public DatasetScoreAccumulator SeasonalNaive { get; }

    public GeometricMeanAccumulator SeriesRatios { get; } = new();

    private int _firstCount;

    private MergeOrder(int shards, int windows, TrainerConfig config)
    {
        List<int>[] NewLists() => [.. Enumerable.Range(0, shards).Select(_ => new List<int>())];
        Cleaning = NewLists();
        Eda = NewLists();
        Metrics = NewLists();
        ForecastCsv = NewLists();
        ParquetRows = NewLists();
        EvaluationCsv = [.. Enumerable.Range(0, windows).Select(_ => NewLists())];
        Score = new DatasetScoreAccumulator(config.Evaluation.Quantiles, config.Evaluation.Metrics);
        SeasonalNaive = new DatasetScoreAccumulator(config.Evaluation.Quantiles, config.Evaluation.Metrics);
    }

    public static async Task<MergeOrder> BuildAsync(ShardSet set, TrainerConfig config, CancellationToken cancellationToken)
    {
        var shards = set.Shards;
        int windows = config.Evaluation.EffectiveWindows;
        var order = new MergeOrder(shards.Count, windows, config)
        {
            _firstCount = Math.Max(config.Eda.Enabled ? config.Eda.MaxPlottedSeries : 0, config.Plots.Enabled ? config.Plots.MaxSeries : 0),
        };
        var files = new ShardFile?[shards.Count];
        var readers = new ShardSeriesFile.Reader?[shards.Count];
        try
        {
            var next = new PriorityQueue<(int Shard, ShardSeriesRecord Record), string>(shards.Count, StringComparer.Ordinal);
            for (int s = 0; s < shards.Count; s++)
            {
                files[s] = await ShardFile.OpenAsync(set, shards[s], ShardSeriesFile.FileName, 1 << 16, cancellationToken).ConfigureAwait(false);
                readers[s] = new ShardSeriesFile.Reader(files[s]!.Stream, windows, config.Eda.Enabled, order.Score.Template, set.Store.Describe(shards[s].Prefix + ShardSeriesFile.FileName));
                if (readers[s]!.Count != shards[s].Summary.SeriesOut) throw set.Damaged(shards[s], ShardSeriesFile.FileName);
                if (readers[s]!.Next() is { } first) next.Enqueue((s, first), first.Id);
            }
            string? previous = null;
            while (next.TryDequeue(out var item, out string? id))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (s, record) = item;
                if (previous is not null && string.CompareOrdinal(previous, id) >= 0)
                    throw new ShardMergeException(string.Equals(previous, id, StringComparison.Ordinal)
                        ? $"Series '{id}' was forecast by two shards of batch '{set.Batch}' (again by shard {shards[s].Spec}): the shards overlap, so they were not run with the same shard count or data."
                        : $"Shard {shards[s].Spec} of batch '{set.Batch}' lists its series out of order at '{id}'; rerun that shard.");
                if (ShardSpec.Of(id, shards.Count) != s)
                    throw new ShardMergeException($"Series '{id}' is in shard {shards[s].Spec} of batch '{set.Batch}' but hashes to shard {ShardSpec.Of(id, shards.Count)}/{shards.Count}; rerun the shards with the same shard count.");
                order.Add(s, record);
                previous = id;
                if (readers[s]!.Next() is { } following) next.Enqueue((s, following), following.Id);
            }
            for (int s = 0; s < shards.Count; s++) files[s]!.Verify();
        }
        finally
        {
            foreach (var reader in readers) reader?.Dispose();
            foreach (var file in files) file?.Dispose();
        }
        return order;
    }

    private void Add(int shard, ShardSeriesRecord record)
    {
        Shards.Add(shard);
        if (FirstIds.Count < _firstCount) FirstIds.Add(record.Id);
        Cleaning[shard].Add(record.CleaningEntry);
        Eda[shard].Add(record.EdaEntry);
        Metrics[shard].Add(record.MetricsEntry);
        ForecastCsv[shard].Add(record.ForecastCsvBlock);
        ParquetRows[shard].Add(record.ParquetRows);
        for (int w = 0; w < EvaluationCsv.Length; w++) EvaluationCsv[w][shard].Add(record.EvaluationCsvBlocks[w]);
        if (record.Eda is { } eda) OverallEda.Add(eda, record.Missing, record.First, record.Last);
        var score = Score.SeriesMetrics(record.Score);
        var baseline = SeasonalNaive.SeriesMetrics(record.SeasonalNaive);
        SeriesRatios.Add(RelativeScores.Ratios(score, baseline));
        Score.Add(record.Score);
        SeasonalNaive.Add(record.SeasonalNaive);
    }
}
