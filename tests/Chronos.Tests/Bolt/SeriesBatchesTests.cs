using Forecast.Chronos.Bolt;
using Forecast.Chronos.Common;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Bolt;

/// <summary>Many series through a pipeline in batches, as an adapter drives it.</summary>
public class SeriesBatchesTests
{
    private static readonly Lazy<ChronosBoltPipeline> Pipeline =
        new(() => new ChronosBoltPipeline(TestModels.LoadBolt(Fixtures.SetA("chronos-bolt", "model"))));

    private static List<float[]> Series() => Fixtures.SeriesNames
        .Select(name => SafeTensorsFixture.Read(Fixtures.SetA("chronos-bolt", name + ".safetensors"))["context"][0].data<float>().ToArray())
        .ToList();

    [Fact]
    public void Batched_arrays_equal_one_batch_call_and_report_progress()
    {
        var pipeline = Pipeline.Value;
        var series = Series();
        float[] levels = [0.1f, 0.5f, 0.9f];
        var progress = new List<int>();

        var forecasts = pipeline.ForecastSeries(series, 64, levels, batchSize: 3, new SynchronousProgress<int>(progress.Add));
        using var scope = NewDisposeScope();
        var (quantiles, mean) = pipeline.PredictQuantiles(ContextBatch.LeftPadAndStack(series), 64, levels);

        progress.Should().Equal(3, 6, 7);
        forecasts.Should().HaveCount(7);
        for (var row = 0; row < 7; row++)
            for (var level = 0; level < 3; level++)
                TensorAssert.Close(tensor(forecasts[row].Quantiles[level]), quantiles[row, TensorIndex.Colon, level], $"series {row} level {level}");
        TensorAssert.Close(tensor(forecasts[6].Mean), mean[6], "mean");
    }

    [Fact]
    public void Cancellation_stops_between_batches()
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress<int>(_ => cancellation.Cancel());

        var act = () => Pipeline.Value.ForecastSeries(Series(), 64, [0.5f], batchSize: 2, progress, cancellation.Token);

        act.Should().Throw<OperationCanceledException>();
    }
}
