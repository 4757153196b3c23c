using System.Buffers.Binary;
using Forecast.Core.Models;
using Forecast.Core.Plots;
using Forecast.Core.Series;

namespace Forecast.Core.Tests.Plots;

public class ForecastPlotterTests
{
    [Fact]
    public void RendersAPngOfTheRequestedSize()
    {
        var start = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var series = new TimeSeries("AirPassengers", [.. Enumerable.Range(0, 36).Select(i => start.AddMonths(i))],
            [.. Enumerable.Range(0, 36).Select(i => 100 + 10 * Math.Sin(i / 2.0))]) { Frequency = Frequency.MonthlyStart };
        var evaluation = new SeriesForecast("AirPassengers", series.Timestamps[^6..], [.. series.Values[^12..^6]], [0.1, 0.9],
            [[.. series.Values[^12..^6].Select(v => v - 5)], [.. series.Values[^12..^6].Select(v => v + 5)]]);
        var future = evaluation with { Timestamps = Frequency.MonthlyStart.Following(series.Timestamps[^1], 6) };

        byte[] png = ForecastPlotter.Render(series, evaluation, future, new ForecastPlotOptions { Width = 640, Height = 320 });

        png.AsSpan(0, 8).ToArray().Should().Equal(0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A);
        BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)).Should().Be(640); // IHDR width
        BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)).Should().Be(320); // IHDR height
    }

    [Fact]
    public void RendersWithoutForecastsOrQuantiles()
    {
        var start = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var series = new TimeSeries("s", [start, start.AddDays(1), start.AddDays(2)], [1, 2, 3]);
        var pointOnly = new SeriesForecast("s", [start.AddDays(3)], [3], [], []);
        ForecastPlotter.Render(series, null, pointOnly, new ForecastPlotOptions()).Should().NotBeEmpty();
    }
}
