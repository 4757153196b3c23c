using System.Text;
using Forecast.Core.Artifacts;
using Forecast.Core.Cleaning;
using Forecast.Core.Data;
using Forecast.Core.Eda;
using Forecast.Core.Evaluation;
using Forecast.Core.Models.Baselines;

namespace Forecast.Core.Tests.Artifacts;

/// <summary>
/// A per-series YAML file written as a head and one block per entry is byte for byte the file the whole document
/// gives, so the merge of a sharded run can interleave the shards' entries (cleaning.yaml, eda.yaml, metrics.yaml).
/// </summary>
public class YamlListDocumentTests
{
    /// <summary>A real dataset plus ids YAML must quote or escape.</summary>
    private static async Task<CleanedData> CleanedAsync()
    {
        var loaded = await SeriesLoader.LoadAsync(new DataOptions { Path = Fixtures.Path("rdatasets_monthly.csv") });
        var odd = loaded.Series.Take(3).Select((s, i) => s with { Id = new[] { "007", "a: b, \"c\"", "true" }[i] });
        return SeriesCleaner.Clean([.. loaded.Series, .. odd], new CleaningOptions { MinLength = 36 });
    }

    [Fact]
    public async Task Cleaning_report_head_and_entries_are_the_whole_report()
    {
        var report = (await CleanedAsync()).Report;
        var file = YamlListDocument.Write(report with { Series = [] }, "series", report.Series);

        Encoding.UTF8.GetString(file.Bytes).Should().Be(YamlText.Serialize(report));
        file.EntryLengths.Should().HaveCount(report.Series.Count);
        (file.HeadLength + file.EntryLengths.Sum()).Should().Be(file.Bytes.Length);
    }

    [Fact]
    public async Task Eda_report_head_and_entries_are_the_whole_report()
    {
        var eda = SeriesExplorer.Explore((await CleanedAsync()).Series, new EdaOptions { MaxPlottedSeries = 0 }).Report;
        var file = YamlListDocument.Write(eda with { Series = [] }, "series", eda.Series);

        Encoding.UTF8.GetString(file.Bytes).Should().Be(YamlText.Serialize(eda));
    }

    [Fact]
    public async Task Metrics_head_and_entries_are_the_whole_report()
    {
        var series = (await CleanedAsync()).Series;
        var options = new EvaluationOptions { Horizon = 12 };
        var windows = EvaluationSplitter.Split(series, options);
        var (_, score) = await ForecastEvaluator.EvaluateAsync("d", new NaiveForecaster(), windows, options, _ => 12);
        var (_, baseline) = await ForecastEvaluator.EvaluateAsync("d", new SeasonalNaiveForecaster(), windows, options, _ => 12);
        var ratios = new GeometricMeanAccumulator();
        var entries = score.PerSeries.Select((s, i) =>
        {
            var entry = MetricsReport.SeriesEntry(s, baseline.PerSeries[i], out var r);
            ratios.Add(r);
            return (object)entry;
        }).ToList();

        var file = YamlListDocument.Write(MetricsReport.Head(options, score.Dataset, baseline.Dataset, ratios.Result()), MetricsReport.SeriesKey, entries);

        Encoding.UTF8.GetString(file.Bytes).Should().Be(YamlText.Serialize(MetricsReport.Build(options, score, baseline)));
    }

    [Fact]
    public void An_empty_list_is_written_as_the_whole_document()
    {
        var report = new CleaningReport { SeriesIn = 2, DroppedSeries = ["a", "b"] };
        var file = YamlListDocument.Write(report, "series", []);

        Encoding.UTF8.GetString(file.Bytes).Should().EndWith("series: []\n").And.Be(YamlText.Serialize(report));
        file.HeadLength.Should().Be(file.Bytes.Length);
    }
}
