using Forecast.Core.Data;
using Forecast.Core.Series;

namespace Forecast.Core.Tests.Series;

public class FrequencyInferenceTests
{
    [Theory]
    [InlineData("2024-01-01 00:00", "2024-01-01 00:15", "2024-01-01 00:30", "15min")]
    [InlineData("2024-01-01 00:00", "2024-01-01 01:00", "2024-01-01 02:00", "h")]
    [InlineData("2024-01-01 00:00", "2024-01-01 02:00", "2024-01-01 06:00", "2h")] // a missing 04:00
    [InlineData("2024-01-01", "2024-01-02", "2024-01-03", "D")]
    [InlineData("2024-01-01", "2024-01-02", "2024-01-05", "D")] // business days: the weekend is missing
    [InlineData("2024-01-01", "2024-01-08", "2024-01-15", "W")]
    [InlineData("2024-01-01", "2024-02-01", "2024-03-01", "MS")]
    [InlineData("2024-01-31", "2024-02-29", "2024-03-31", "ME")]
    [InlineData("2024-01-01", "2024-04-01", "2024-10-01", "QS")]
    [InlineData("2024-03-31", "2024-06-30", "2024-09-30", "QE")]
    [InlineData("2020-01-01", "2021-01-01", "2022-01-01", "YS")]
    [InlineData("2020-12-31", "2021-12-31", "2022-12-31", "YE")]
    [InlineData("2020-01-01", "2022-01-01", "2024-01-01", "2YS")]
    public void Infers_calendar_and_fixed_frequencies_with_gaps(string a, string b, string c, string expected)
    {
        DateTime[] t = [Parse(a), Parse(b), Parse(c)];

        FrequencyInference.TryInfer(t, out var frequency, out _).Should().BeTrue();

        frequency.ToString().Should().Be(expected);
    }

    [Theory]
    [InlineData("rdatasets_monthly.csv", "MS")]
    [InlineData("rdatasets_quarterly.csv", "QS")]
    [InlineData("rdatasets_yearly.csv", "YS")]
    [InlineData("taylor_halfhourly.csv", "30min")]
    [InlineData("m4_weekly_W1_W2.csv", "W")]
    [InlineData("m4_hourly_H1_H2.csv", "h")]
    public async Task Infers_the_documented_frequency_of_every_real_dataset(string fixture, string expected)
    {
        var data = await SeriesLoader.LoadAsync(new DataOptions { Path = Fixtures.Path(fixture) });

        foreach (var series in data.Series)
        {
            FrequencyInference.TryInfer(series.Timestamps, out var frequency, out _).Should().BeTrue(series.Id);
            frequency.ToString().Should().Be(expected, series.Id);
        }
    }

    [Fact]
    public void Irregular_gaps_are_reported_with_the_offending_timestamps()
    {
        DateTime[] t = [Parse("2024-01-01 00:00"), Parse("2024-01-01 01:00"), Parse("2024-01-01 02:00"), Parse("2024-01-01 02:07"), Parse("2024-01-01 03:00")];

        FrequencyInference.TryInfer(t, out _, out var irregular).Should().BeFalse();

        irregular.Should().Equal(Parse("2024-01-01 02:07"), Parse("2024-01-01 03:00"));
    }

    private static DateTime Parse(string s) => DateTime.SpecifyKind(DateTime.Parse(s, System.Globalization.CultureInfo.InvariantCulture), DateTimeKind.Utc);
}
