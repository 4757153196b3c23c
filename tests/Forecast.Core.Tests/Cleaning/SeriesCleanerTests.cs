using Forecast.Core.Cleaning;
using Forecast.Core.Data;
using Forecast.Core.Series;
using Forecast.Core.Tests.Data;

namespace Forecast.Core.Tests.Cleaning;

public class SeriesCleanerTests
{
    private static readonly CleaningOptions Defaults = new();

    [Fact]
    public async Task Clean_real_monthly_data_passes_through_unchanged_with_its_frequency_set()
    {
        var data = await SeriesLoader.LoadAsync(new DataOptions { Path = Fixtures.Path("rdatasets_monthly.csv") });

        var cleaned = SeriesCleaner.Clean(data.Series, Defaults, "rdatasets_monthly.csv");

        cleaned.Series.Should().HaveCount(9);
        cleaned.Series.Should().OnlyContain(s => s.Frequency == Frequency.MonthlyStart);
        cleaned.Series[0].Values.Should().Equal(data.Series[0].Values);
        cleaned.Report.RowsIn.Should().Be(4509);
        cleaned.Report.RowsOut.Should().Be(4509);
        cleaned.Report.Series.Should().OnlyContain(r => r.FrequencySource == "inferred" && r.TimestampsAdded == 0 && r.Frequency == "MS");
    }

    [Fact]
    public async Task Missing_timestamps_are_reindexed_and_filled_linearly_by_default()
    {
        var data = await CsvText.LoadAsync("unique_id,ds,y\na,2024-01-01,1\na,2024-01-02,2\na,2024-01-05,8\na,2024-01-06,\n");

        var cleaned = SeriesCleaner.Clean(data.Series, Defaults);

        var a = cleaned.Series.Single();
        a.Timestamps.Should().HaveCount(6);
        a.Timestamps[2].Should().Be(new DateTime(2024, 1, 3));
        a.Values.Should().Equal(1, 2, 4, 6, 8, 8);
        var report = cleaned.Report.Series.Single();
        report.TimestampsAdded.Should().Be(2);
        report.MissingValues.Should().Be(3);
        report.ValuesFilled.Should().Be(3);
        data.Series[0].Values.Should().HaveCount(4, "cleaning never writes into the loaded arrays");
    }

    [Theory]
    [InlineData(FillPolicy.Ffill, new[] { 5.0, 5, 5, 7, 7 })]
    [InlineData(FillPolicy.Linear, new[] { 5.0, 5, 6, 7, 7 })]
    [InlineData(FillPolicy.Zero, new[] { 0.0, 5, 0, 7, 0 })]
    public async Task Fill_policies(FillPolicy policy, double[] expected)
    {
        var data = await CsvText.LoadAsync("unique_id,ds,y\na,2024-01-01,NA\na,2024-01-02,5\na,2024-01-03,\na,2024-01-04,7\na,2024-01-05,NaN\n");

        var cleaned = SeriesCleaner.Clean(data.Series, Defaults with { FillMissing = policy });

        cleaned.Series[0].Values.Should().Equal(expected);
    }

    [Fact]
    public async Task Fill_policy_none_keeps_missing_values()
    {
        var data = await CsvText.LoadAsync("unique_id,ds,y\na,2024-01-01,1\na,2024-01-02,2\na,2024-01-04,4\n");

        var cleaned = SeriesCleaner.Clean(data.Series, Defaults with { FillMissing = FillPolicy.None });

        cleaned.Series[0].Values[2].Should().Be(double.NaN);
        cleaned.Report.Series[0].ValuesFilled.Should().Be(0);
    }

    [Theory]
    [InlineData(DuplicatePolicy.Mean, 3.0)]
    [InlineData(DuplicatePolicy.Sum, 6.0)]
    [InlineData(DuplicatePolicy.Last, 4.0)]
    public async Task Duplicate_timestamps_are_merged_by_policy(DuplicatePolicy policy, double expected)
    {
        var data = await CsvText.LoadAsync("unique_id,ds,y,price\na,2024-01-01,1,10\na,2024-01-02,2,20\na,2024-01-02,,30\na,2024-01-02,4,40\na,2024-01-03,5,50\n",
            new DataOptions { Covariates = ["price"] });

        var cleaned = SeriesCleaner.Clean(data.Series, Defaults with { Duplicates = policy });

        var a = cleaned.Series.Single();
        a.Values.Should().Equal(1, expected, 5);
        a.Covariates["price"][1].Should().Be(policy switch { DuplicatePolicy.Mean => 30, DuplicatePolicy.Sum => 90, _ => 40 });
        cleaned.Report.Series[0].DuplicatesMerged.Should().Be(2);
    }

    [Fact]
    public async Task Duplicate_timestamps_are_an_error_by_default_naming_series_and_timestamps()
    {
        var data = await CsvText.LoadAsync("unique_id,ds,y\na,2024-01-01,1\nb,2024-01-01 06:00,1\nb,2024-01-01 06:00,2\nb,2024-01-01 07:00,2\n");

        var act = () => SeriesCleaner.Clean(data.Series, Defaults, "sales.csv");

        var e = act.Should().Throw<DataException>().Which;
        e.File.Should().Be("sales.csv");
        e.Field.Should().Be("b");
        e.Message.Should().Contain("series 'b' has 1 duplicate row(s) at timestamps 2024-01-01T06:00:00Z").And.Contain("cleaning.duplicates");
    }

    [Fact]
    public async Task Irregular_timestamps_are_an_error_naming_series_and_timestamps()
    {
        var data = await CsvText.LoadAsync("unique_id,ds,y\nm,2024-01-01 00:00,1\nm,2024-01-01 01:00,1\nm,2024-01-01 02:00,1\nm,2024-01-01 02:13,1\n");

        var act = () => SeriesCleaner.Clean(data.Series, Defaults, "meter.csv");

        var e = act.Should().Throw<DataException>().Which;
        e.Field.Should().Be("m");
        e.Message.Should().Contain("series 'm' has irregular timestamps").And.Contain("2024-01-01T02:13:00Z").And.Contain("cleaning.frequency");
    }

    [Fact]
    public async Task A_configured_frequency_overrides_inference_and_rejects_off_grid_timestamps()
    {
        var data = await CsvText.LoadAsync("unique_id,ds,y\na,2024-01-01 00:00,1\na,2024-01-01 02:00,3\n");

        var cleaned = SeriesCleaner.Clean(data.Series, Defaults with { Frequency = Frequency.Hourly });
        cleaned.Series[0].Values.Should().Equal(1, 2, 3);
        cleaned.Report.Series[0].FrequencySource.Should().Be("config");
        cleaned.Report.Series[0].Frequency.Should().Be("h");

        var offGrid = () => SeriesCleaner.Clean(data.Series, Defaults with { Frequency = Frequency.Parse("90min") });
        offGrid.Should().Throw<DataException>().Which.Message.Should().Contain("off its 90min grid").And.Contain("2024-01-01T02:00:00Z");
    }

    [Fact]
    public async Task An_off_grid_timestamp_is_caught_even_when_the_grid_has_as_many_points_as_the_data()
    {
        var data = await CsvText.LoadAsync("unique_id,ds,y\na,2024-01-01 00:00,1\na,2024-01-01 03:00,2\na,2024-01-01 04:00,3\n");

        var act = () => SeriesCleaner.Clean(data.Series, Defaults with { Frequency = Frequency.Parse("2h") });

        act.Should().Throw<DataException>().Which.Message.Should().Contain("off its 2h grid").And.Contain("2024-01-01T03:00:00Z");
    }

    [Fact]
    public async Task A_wrong_configured_frequency_that_would_explode_the_series_is_an_error()
    {
        var data = await SeriesLoader.LoadAsync(new DataOptions { Path = Fixtures.Path("rdatasets_yearly.csv") });

        var act = () => SeriesCleaner.Clean(data.Series, Defaults with { Frequency = Frequency.Minutes(1) });

        act.Should().Throw<DataException>().Which.Message.Should().Contain("set cleaning.frequency to the data's real frequency");
    }

    [Fact]
    public async Task An_all_missing_series_is_an_error_naming_it()
    {
        var data = await CsvText.LoadAsync("unique_id,ds,y\nok,2024-01-01,1\nok,2024-01-02,1\nempty,2024-01-01,NA\nempty,2024-01-02,\n");

        var act = () => SeriesCleaner.Clean(data.Series, Defaults, "x.csv");

        var e = act.Should().Throw<DataException>().Which;
        e.Field.Should().Be("empty");
        e.Message.Should().Contain("series 'empty' has no values: all 2 are missing");
    }

    [Fact]
    public async Task Short_series_are_dropped_with_a_warning_listing_them()
    {
        var data = await SeriesLoader.LoadAsync(new DataOptions { Path = Fixtures.Path("rdatasets_monthly.csv") });

        var cleaned = SeriesCleaner.Clean(data.Series, Defaults with { MinLength = 100 });

        cleaned.Report.DroppedSeries.Should().BeEquivalentTo("USAccDeaths", "ldeaths", "mdeaths", "fdeaths");
        cleaned.Report.Warnings.Should().ContainSingle().Which.Should().Contain("'USAccDeaths' (72)").And.Contain("min_length 100");
        cleaned.Series.Should().HaveCount(5);
        cleaned.Report.SeriesOut.Should().Be(5);
    }

    [Fact]
    public async Task Short_series_are_an_error_by_policy()
    {
        var data = await SeriesLoader.LoadAsync(new DataOptions { Path = Fixtures.Path("rdatasets_yearly.csv") });

        var act = () => SeriesCleaner.Clean(data.Series, Defaults with { MinLength = 30, ShortSeries = ShortSeriesPolicy.Error });

        act.Should().Throw<DataException>().Which.Message.Should().Contain("'airmiles' (24)").And.Contain("cleaning.min_length = 30");
    }

    [Fact]
    public async Task A_single_point_series_needs_a_configured_frequency_unless_it_is_dropped_as_too_short()
    {
        // Each series is cleaned on its own (no frequency borrowed from the others), so a shard holding only some of
        // the series cleans them exactly as a single run does.
        var data = await CsvText.LoadAsync("unique_id,ds,y\na,2024-01-01,1\na,2024-02-01,2\nb,2024-03-01,5\n");

        var kept = () => SeriesCleaner.Clean(data.Series, Defaults with { MinLength = 1 });
        var dropped = SeriesCleaner.Clean(data.Series, Defaults with { MinLength = 2 });
        var configured = SeriesCleaner.Clean(data.Series, Defaults with { MinLength = 1, Frequency = Frequency.MonthlyStart });

        kept.Should().Throw<DataException>().WithMessage("*series 'b' has a single timestamp*set cleaning.frequency*");
        dropped.Report.DroppedSeries.Should().Equal("b");
        dropped.Dropped.Should().Equal([("b", 1)]);
        configured.Series[1].Frequency.Should().Be(Frequency.MonthlyStart);
    }

    [Fact]
    public async Task The_report_serialises_to_YAML()
    {
        var data = await CsvText.LoadAsync("unique_id,ds,y\na,2024-01-01,1\na,2024-01-02,2\na,2024-01-04,4\nb,2024-01-01,1\n");
        var report = SeriesCleaner.Clean(data.Series, Defaults with { MinLength = 2 }).Report;

        string yaml = new YamlDotNet.Serialization.SerializerBuilder()
            .WithNamingConvention(YamlDotNet.Serialization.NamingConventions.UnderscoredNamingConvention.Instance).Build().Serialize(report);

        yaml.Should().Contain("series_in: 2").And.Contain("dropped_series:\n- b").And.Contain("timestamps_added: 1").And.Contain("frequency: D");
    }
}
