using Forecast.Core.Artifacts;
using Forecast.Core.Data;
using Forecast.Core.Models;

namespace Forecast.Core.Tests.Artifacts;

public sealed class ForecastCsvReaderTests
{
    private static readonly double[] Levels = [0.1, 0.5, 0.9];

    private static SeriesForecast Forecast(string id, int steps, double offset) => new(
        id,
        [.. Enumerable.Range(0, steps).Select(h => new DateTime(2024, 1, 1).AddMonths(h))],
        [.. Enumerable.Range(0, steps).Select(h => offset + h + 0.1)],
        Levels,
        [.. Levels.Select(q => Enumerable.Range(0, steps).Select(h => offset + h + q).ToArray())]);

    [Fact]
    public void What_the_writer_writes_reads_back_exactly_including_ids_that_need_quoting()
    {
        string[] ids = ["plain", "a,b", "say \"hi\"", "<script>alert('x')</script>", "line\nbreak"];
        var forecasts = ids.Select((id, i) => Forecast(id, 4, 10 * i)).ToList();

        var table = ForecastCsvReader.Read(ForecastCsvWriter.Write(forecasts, Levels), "forecasts.csv");

        table.QuantileLevels.Should().Equal(Levels);
        table.SeriesIds.Should().Equal(ids);
        for (int i = 0; i < ids.Length; i++)
        {
            var trace = table.Traces[i];
            trace.Window.Should().BeNull();
            trace.Actuals.Should().BeNull();
            trace.Timestamps.Should().Equal(forecasts[i].Timestamps);
            trace.Mean.Should().Equal(forecasts[i].Mean);
            trace.Quantiles.Should().BeEquivalentTo(forecasts[i].Quantiles, o => o.WithStrictOrdering());
        }
    }

    [Fact]
    public void Evaluation_tables_split_by_series_and_window_and_keep_actuals_and_missing_values()
    {
        var window0 = new[] { Forecast("a", 3, 0), Forecast("b", 3, 5) };
        var window1 = new[] { Forecast("a", 3, 1), Forecast("b", 3, 6) };
        double[][] actuals0 = [[1, double.NaN, 3], [4, 5, 6]];
        double[][] actuals1 = [[7, 8, 9], [10, 11, 12]];
        byte[] csv = ForecastCsvWriter.Write([(0, window0, actuals0), (1, window1, actuals1)], Levels);

        var table = ForecastCsvReader.Read(csv, "evaluation/forecasts.csv");

        table.Traces.Select(t => (t.SeriesId, t.Window)).Should().Equal(("a", 0), ("b", 0), ("a", 1), ("b", 1));
        table.Traces[0].Actuals![1].Should().Be(double.NaN);
        table.Traces[3].Actuals.Should().Equal(10, 11, 12);
        table.Traces[2].Mean.Should().Equal(window1[0].Mean);
    }

    [Theory]
    [InlineData("", 1, null, "empty")]
    [InlineData("unique_id,mean\n", 1, "ds", "no 'ds' column")]
    [InlineData("unique_id,ds,mean\na,2024-01-01,1\na,2024-02-01\n", 3, null, "2 fields")]
    [InlineData("unique_id,ds,mean\na,someday,1\n", 2, "ds", "not a timestamp")]
    [InlineData("unique_id,ds,mean\na,2024-01-01,x\n", 2, "mean", "not a number")]
    [InlineData("unique_id,ds,mean\n\"a,2024-01-01,1\n", 2, null, "not closed")]
    public void A_malformed_file_is_a_data_exception_naming_file_line_and_column(string text, int line, string? field, string message)
    {
        var read = () => ForecastCsvReader.Read(System.Text.Encoding.UTF8.GetBytes(text), "runs/x/forecasts.csv");
        var error = read.Should().Throw<DataException>().Which;
        error.File.Should().Be("runs/x/forecasts.csv");
        error.Line.Should().Be(line);
        error.Field.Should().Be(field);
        error.Message.Should().Contain(message);
    }
}
