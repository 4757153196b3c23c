using System.Text;
using Forecast.Core.Artifacts;
using Forecast.Core.Data;

namespace Forecast.Core.Tests.Artifacts;

/// <summary>model/auto/selection.csv read back: rows per series and call, the latest call per series, and named errors for damaged files.</summary>
public class RunSelectionTests
{
    private const string Header = "unique_id,cutoff,windows,metric,choice,members,naive,ets,ensemble_mean,note";

    private static RunSelection Parse(string text) => RunSelection.Parse(Encoding.UTF8.GetBytes(text), "selection.csv");

    [Fact]
    public void RowsKeepTheirScoresAndTheLatestCutoffOfASeriesIsItsForecastChoice()
    {
        var selection = Parse($"""
            {Header}
            a,2020-06-01,2,mase,ets,ets,1.5,0.75,0.9,
            b,2020-06-01,0,mase,naive,naive,,,,"too short for a backtest window; the best option over all series"
            a,2020-12-01,2,mase,ensemble_mean,naive=0.5;ets=0.5,1.25,0.8,0.7,
            """);

        selection.Options.Should().Equal("naive", "ets", "ensemble_mean");
        selection.Rows.Should().HaveCount(3);
        selection.Rows[0].Scores.Should().Equal(1.5, 0.75, 0.9);
        selection.Rows[1].Scores.Should().OnlyContain(s => double.IsNaN(s));
        selection.Rows[1].Note.Should().Be("too short for a backtest window; the best option over all series");
        selection.Latest().Select(r => (r.Id, r.Choice)).Should().Equal(("a", "ensemble_mean"), ("b", "naive"));
        selection.Of("a").Select(r => r.Cutoff).Should().Equal("2020-06-01", "2020-12-01");
    }

    [Theory]
    [InlineData("", 1, null)]
    [InlineData("unique_id,ds,y\na,2020-01-01,1\n", 1, null)]
    [InlineData(Header + "\na,2020-06-01,2,mase,ets,ets,1.5,0.75\n", 2, null)]
    [InlineData(Header + "\na,2020-06-01,two,mase,ets,ets,1.5,0.75,0.9,\n", 2, "windows")]
    [InlineData(Header + "\na,2020-06-01,2,mase,ets,ets,1.5,low,0.9,\n", 2, "ets")]
    [InlineData(Header + "\na,2020-06-01,2,mase,arima,arima,1.5,0.75,0.9,\n", 2, "choice")]
    public void ADamagedFileIsADataErrorNamingTheLine(string text, int line, string? field)
    {
        var act = () => Parse(text);

        var error = act.Should().Throw<DataException>().Which;
        error.File.Should().Be("selection.csv");
        error.Line.Should().Be(line);
        error.Field.Should().Be(field);
    }
}

/// <summary>RunReader finds model: auto's record in a run, and in a merged sharded run under each shard's folder.</summary>
public sealed class RunSelectionReaderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "run-selection-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private const string Header = "unique_id,cutoff,windows,metric,choice,members,naive,ets,note\n";

    [Fact]
    public async Task The_shards_selection_files_of_a_merged_run_are_read_as_one_and_other_runs_have_none()
    {
        var store = new LocalFolderArtifactStore(_root);
        var merged = new RunWriter(store, "20260101T000000Z-merged-000001");
        await merged.PutTextAsync("model/shard-0/auto/selection.csv", Header + "a,2020-01-01,2,mase,ets,ets,2,1,\n");
        await merged.PutTextAsync("model/shard-1/auto/selection.csv", Header + "b,2020-01-01,2,mase,naive,naive,1,2,\n");
        await merged.PutTextAsync("model/shard-1/auto/summary.yaml", "metric: mase\ncalls:\n- series: 1\n  scores: { naive: 1.5, ets: null }\n  chosen: { naive: 1 }\n");
        await merged.PutTextAsync("model/shard-x/auto/selection.csv", Header + "c,2020-01-01,2,mase,ets,ets,2,1,\n");
        await merged.CommitAsync();
        var plain = new RunWriter(store, "20260101T000000Z-plain-000002");
        await plain.PutTextAsync("metrics.yaml", "dataset:\n  name: d\n");
        await plain.CommitAsync();

        var reader = new RunReader(store);
        var selection = await reader.ReadSelectionAsync("20260101T000000Z-merged-000001");

        selection!.Rows.Select(r => (r.Id, r.Choice)).Should().Equal(("a", "ets"), ("b", "naive"));
        var summary = await reader.ReadAutoSummaryAsync("20260101T000000Z-merged-000001");
        summary!.Calls.Single().Scores.Should().Equal(new Dictionary<string, double?> { ["naive"] = 1.5, ["ets"] = null });
        (await reader.ReadSelectionAsync("20260101T000000Z-plain-000002")).Should().BeNull();
        (await reader.ReadAutoSummaryAsync("20260101T000000Z-plain-000002")).Should().BeNull();
    }
}
