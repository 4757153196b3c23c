using FluentAssertions;
using Forecast.Core.Series;
using Forecast.Trainer.Models;

namespace Forecast.Trainer.Tests.Models;

/// <summary>
/// The order a classical model's batch goes to the cores (<see cref="LongestFirstOrder"/>): series never fitted first,
/// longest history first, then the others by how long their last fit took; ties keep the input order.
/// </summary>
public class LongestFirstOrderTests
{
    private static TimeSeries Series(string id, int length)
    {
        var start = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return new TimeSeries(id, [.. Enumerable.Range(0, length).Select(t => start.AddHours(t))], [.. Enumerable.Range(0, length).Select(t => (double)t)])
        {
            Frequency = Frequency.Hourly,
        };
    }

    [Fact]
    public void SeriesNeverFittedComeFirstLongestHistoryFirst()
    {
        var order = new LongestFirstOrder();

        order.Of([Series("a", 10), Series("b", 30), Series("c", 20), Series("d", 30)]).Should().Equal(1, 3, 2, 0);
    }

    [Fact]
    public void FittedSeriesFollowBySlowestLastFitAfterTheUnfittedOnes()
    {
        var order = new LongestFirstOrder();
        order.Record("a", 0.5);
        order.Record("b", 2.0);
        order.Record("c", 0.1);
        order.Record("b", 0.2); // the last fit counts

        order.Of([Series("a", 10), Series("b", 50), Series("c", 10), Series("new", 5)]).Should().Equal(3, 0, 1, 2);
    }
}
