using Forecast.Prophet.Tests.Golden;

namespace Forecast.Prophet.Tests.Batch;

/// <summary>Many series in parallel, with progress, per-series errors and cancellation (for pipeline adapters).</summary>
public sealed class ProphetBatchTests
{
    private static IReadOnlyList<ProphetSeries> Series()
    {
        var retail = GoldenCase.Load("retail_default").Input;
        var air = GoldenCase.Load("air_passengers_small_newton").Input;
        var broken = new ProphetFrame([new DateTime(2020, 1, 1)], [1.0]); // one row: cannot be fitted
        return [new("retail", retail), new("air", air), new("broken", broken), new("retail-again", retail)];
    }

    [Fact]
    public async Task Fits_every_series_reports_progress_and_keeps_failures_per_series()
    {
        var reports = new List<ProphetBatchProgress>();
        var progress = new SynchronousProgress(reports);

        var results = await ProphetBatch.FitPredictAsync(
            Series(),
            _ => new Prophet(new ProphetOptions { UncertaintySamples = 50, Seed = 1 }),
            (model, _) => model.MakeFutureDataFrame(12, FutureFrequency.Month, includeHistory: false),
            progress: progress);

        results.Select(r => r.Id).Should().Equal("retail", "air", "broken", "retail-again");
        results.Where(r => r.Id != "broken").Should().OnlyContain(r => r.Succeeded && r.Forecast!.RowCount == 12);
        results.Single(r => r.Id == "broken").Error.Should().BeOfType<ArgumentException>();
        results[0].Forecast!.Yhat.Should().Equal(results[3].Forecast!.Yhat, "fits are deterministic");
        reports.Should().HaveCount(4);
        reports.Max(r => r.Completed).Should().Be(4);
        reports.Max(r => r.Failed).Should().Be(1);
    }

    [Fact]
    public async Task Cancellation_stops_the_batch()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var act = () => ProphetBatch.FitPredictAsync(Series(), _ => new Prophet(), (m, _) => m.MakeFutureDataFrame(3), cancellationToken: cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    private sealed class SynchronousProgress(List<ProphetBatchProgress> reports) : IProgress<ProphetBatchProgress>
    {
        public void Report(ProphetBatchProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
