using Forecast.Chronos.Bolt;
using Forecast.Chronos.Common;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Bolt;

/// <summary>The opt-in bfloat16 path and per-batch memory (no tensor outlives its call).</summary>
public class PrecisionAndMemoryTests
{
    private static List<float[]> Series() => Fixtures.SeriesNames
        .Select(name => SafeTensorsFixture.Read(Fixtures.SetA("chronos-bolt", name + ".safetensors"))["context"][0].data<float>().ToArray())
        .ToList();

    /// <summary>
    /// The set-a model was initialised with initializer_factor 1.0 (official: 0.05) and perturbed norms, so its
    /// activations are far larger than an official checkpoint's and bfloat16 rounding shows more: measured worst
    /// 1.8% of scale (series "short", 20 points), ≤ 0.7% for the others. The 1% target of issue 4 is checked on the
    /// official sizes by bench/Chronos (bolt-bf16-accuracy).
    /// </summary>
    [Fact]
    public void Bfloat16_quantiles_stay_close_to_the_float32_path()
    {
        using var fp32 = ChronosPretrained.LoadBolt(Fixtures.SetA("chronos-bolt", "model"));
        using var bf16 = ChronosPretrained.LoadBolt(Fixtures.SetA("chronos-bolt", "model"), ScalarType.BFloat16);
        var series = Series();
        using var scope = NewDisposeScope();

        var a = fp32.Predict(series, 64);
        var b = bf16.Predict(series, 64);
        // Scale = mean |observed value| (Chronos' own notion of a series' scale; InstanceNorm's std is 1e-5 for a constant).
        var context = ContextBatch.LeftPadAndStack(series);
        var observed = context.isnan().logical_not();
        var scale = context.nan_to_num(0).abs().sum([1L]) / observed.sum([1L]).to_type(ScalarType.Float32);
        scale = where(scale.gt(0), scale, ones_like(scale));

        b.dtype.Should().Be(ScalarType.Float32, "forecasts are de-normalised in float32 on both paths");
        var perSeries = ((a - b).abs() / scale.view(-1, 1, 1)).amax([1L, 2L]).data<float>().ToArray();
        var summary = $"per-series max |Δq|/scale: {string.Join(", ", perSeries)}";
        perSeries.Should().OnlyContain(r => r < 0.025f, summary);
        perSeries.Count(r => r < 0.01f).Should().BeGreaterThanOrEqualTo(6, summary);
    }

    [Fact]
    public void Repeated_batches_leave_no_live_tensors_behind()
    {
        using var bolt = ChronosPretrained.LoadBolt(Fixtures.SetA("chronos-bolt", "model"));
        using var t5 = ChronosPretrained.LoadT5(Fixtures.SetA("chronos-t5", "model"));
        var series = Series();
        float[] levels = [0.1f, 0.5f, 0.9f];
        bolt.ForecastSeries(series, 64, levels, batchSize: 4);
        t5.ForecastSeries(series, 8, levels, new Forecast.Chronos.ChronosT5.SamplingSettings { NumSamples = 3, Seed = 1 }, batchSize: 4);
        var before = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;

        for (var i = 0; i < 5; i++)
        {
            bolt.ForecastSeries(series, 64, levels, batchSize: 4);
            t5.ForecastSeries(series, 8, levels, new Forecast.Chronos.ChronosT5.SamplingSettings { NumSamples = 3, Seed = i }, batchSize: 4);
        }

        DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount.Should().Be(before);
    }
}
