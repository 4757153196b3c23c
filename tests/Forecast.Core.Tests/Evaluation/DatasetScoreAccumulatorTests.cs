using Forecast.Core.Data;
using Forecast.Core.Cleaning;
using Forecast.Core.Evaluation;
using Forecast.Core.Models.Baselines;

namespace Forecast.Core.Tests.Evaluation;

/// <summary>
/// Scores of disjoint sets of series (the shards of a sharded run) combine into the score of all series bit for bit,
/// when their per-series statistics are added in series order — also after a round trip through their binary form.
/// </summary>
public class DatasetScoreAccumulatorTests
{
    [Fact]
    public async Task Statistics_of_two_halves_added_in_series_order_give_the_dataset_score_exactly()
    {
        var loaded = await SeriesLoader.LoadAsync(new DataOptions { Path = Fixtures.Path("rdatasets_monthly.csv") });
        var series = SeriesCleaner.Clean(loaded.Series, new CleaningOptions()).Series;
        var options = new EvaluationOptions { Mode = EvaluationMode.Backtest, Horizon = 12, Windows = 2 };
        var windows = EvaluationSplitter.Split(series, options);
        var (_, whole) = await ForecastEvaluator.EvaluateAsync("d", new SeasonalNaiveForecaster(), windows, options, _ => 12);
        var odd = series.Where((_, i) => i % 2 == 1).ToList();
        var even = series.Where((_, i) => i % 2 == 0).ToList();
        var (_, oddScore) = await ForecastEvaluator.EvaluateAsync("d", new SeasonalNaiveForecaster(), EvaluationSplitter.Split(odd, options), options, _ => 12);
        var (_, evenScore) = await ForecastEvaluator.EvaluateAsync("d", new SeasonalNaiveForecaster(), EvaluationSplitter.Split(even, options), options, _ => 12);

        var combined = new DatasetScoreAccumulator(options.Quantiles, options.Metrics);
        var byId = oddScore.Statistics.Concat(evenScore.Statistics).ToDictionary(s => s.SeriesId);
        foreach (var s in series)
        {
            using var buffer = new MemoryStream();
            using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) byId[s.Id].Write(writer);
            buffer.Position = 0;
            using var reader = new BinaryReader(buffer);
            var read = SeriesErrorStatistics.Read(reader, s.Id, combined.Template);
            combined.SeriesMetrics(read).Should().Equal(whole.PerSeries.Single(p => p.SeriesId == s.Id).Metrics);
            combined.Add(read);
        }

        combined.Result("d", "seasonal_naive", 2).Should().BeEquivalentTo(whole.Dataset);
        combined.Result("d", "seasonal_naive", 2).Metrics.Should().Equal(whole.Dataset.Metrics);
    }
}
