using Forecast.Core.Evaluation;
using Forecast.Core.Series;

namespace Forecast.Core.Tests.Evaluation;

public class EvaluationSplitterTests
{
    private static TimeSeries Daily(string id, int length) =>
        new(id, Enumerable.Range(0, length).Select(i => new DateTime(2021, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(i)).ToArray(),
            Enumerable.Range(0, length).Select(i => (double)i).ToArray()) { Frequency = Frequency.Daily };

    [Fact]
    public void HoldoutKeepsTheLastHorizonPoints()
    {
        var window = EvaluationSplitter.Split([Daily("a", 10)], new EvaluationOptions { Horizon = 3 }).Single();
        window.Histories[0].Values.Should().Equal(0, 1, 2, 3, 4, 5, 6);
        window.Actuals[0].Should().Equal(7, 8, 9);
    }

    [Fact]
    public void BacktestRollsTheOriginByStepAndEndsWithTheSeries()
    {
        var options = new EvaluationOptions { Mode = EvaluationMode.Backtest, Horizon = 3, Windows = 3, Step = 2 };
        var windows = EvaluationSplitter.Split([Daily("a", 12)], options);
        windows.Select(w => w.Histories[0].Length).Should().Equal(5, 7, 9);
        windows.Select(w => w.Actuals[0][0]).Should().Equal(5, 7, 9);
        windows[^1].Actuals[0].Should().Equal(9, 10, 11);
    }

    [Fact]
    public void HorizonLongerThanASeriesNamesTheSeriesAndTheFields()
    {
        var act = () => EvaluationSplitter.Split([Daily("long", 50), Daily("tiny", 5)], new EvaluationOptions { Horizon = 12 });
        act.Should().Throw<SeriesTooShortException>()
            .WithMessage("evaluation.horizon = 12 needs series of at least 13 points*'tiny' (5 points)*cleaning.min_length*")
            .Which.SeriesIds.Should().Equal("tiny");
    }
}
