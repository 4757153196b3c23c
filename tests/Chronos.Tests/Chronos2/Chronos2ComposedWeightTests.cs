using System.Runtime.InteropServices;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Chronos2;
using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Inference;
using Forecast.Chronos.Tests.Checkpoints;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Chronos2;

/// <summary>
/// The composed <c>W_o·W_v</c> that each block's group attention keeps between kernel calls follows every change of the
/// weights — through our APIs, by hand through libtorch's operators, and after raw writes with
/// <see cref="Chronos2Model.InvalidateComposedWeights"/>: a pipeline that forecast (and so composed) before the change
/// forecasts afterwards exactly, bit for bit, as one given the same change that never composed before it.
/// Run alone: the fine-tuning changes seed libtorch's process-wide generator and draw from it (e.g. LoRA's initial A),
/// so another test class drawing from it at the same time made the two fine-tunes compared here
/// differ (seen once in CI: FineTuneLora, 594 elements).
/// </summary>
[Collection(nameof(Chronos2ComposedWeightTests))]
public sealed class Chronos2ComposedWeightTests
{
    public enum Change
    {
        LoadWeights,
        LoadCheckpointFolder,
        MergeAdapter,
        FineTune,
        FineTuneLora,
        InPlaceByHand,
        RawWriteThenInvalidate,
    }

    [KernelsTheory]
    [InlineData(Change.LoadWeights)]
    [InlineData(Change.LoadCheckpointFolder)]
    [InlineData(Change.MergeAdapter)]
    [InlineData(Change.FineTune)]
    [InlineData(Change.FineTuneLora)]
    [InlineData(Change.InPlaceByHand)]
    [InlineData(Change.RawWriteThenInvalidate)]
    public void After_a_weight_change_a_pipeline_forecasts_as_one_that_never_kept_a_composed_weight(Change change)
    {
        var golden = Chronos2Fixtures.Golden("sine.safetensors");
        var series = Chronos2Fixtures.Rows(golden["context"]);
        var horizon = Fixtures.Horizon(golden, "forecast");
        using var perturbed = Chronos2Fixtures.LoadSetA();
        var changed = PerturbedWeights(perturbed.Model);
        using var checkpoint = new TempFolder();
        if (change == Change.LoadCheckpointFolder)
        {
            perturbed.Model.LoadWeights(changed, "perturbed weights");
            Chronos2CheckpointSaver.Save(perturbed.Model, checkpoint.Path);
        }

        using var used = Kernels(Chronos2Fixtures.LoadSetA());
        using var before = used.Predict(series, horizon)[0];
        GroupAttentions(used.Model)[0].KeepsComposedWeight.Should().BeTrue("a one-series forecast composes the first block's W_o·W_v");
        Apply(change, used.Model, changed, checkpoint.Path);
        using var after = used.Predict(series, horizon)[0];

        using var fresh = Kernels(Chronos2Fixtures.LoadSetA());
        Apply(change, fresh.Model, changed, checkpoint.Path);
        GroupAttentions(fresh.Model).Should().OnlyContain(a => !a.KeepsComposedWeight, "this pipeline has not forecast before the change");
        using var expected = fresh.Predict(series, horizon)[0];

        TensorAssert.Equal(after, expected, $"the forecast after {change}");
        after.allclose(before, rtol: 0, atol: 0).Should().BeFalse($"{change} changes the forecast (else this test shows nothing)");
        fresh.Inference = Backends.Options(ChronosBackend.Libtorch);
        using var twoProducts = fresh.Predict(series, horizon)[0];
        TensorAssert.Close(after, twoProducts, "the forecast after the change against libtorch's two products");
    }

    [KernelsFact]
    public void Training_mode_and_the_encoder_dtype_drop_the_composed_weights()
    {
        var golden = Chronos2Fixtures.Golden("sine.safetensors");
        using var pipeline = Kernels(Chronos2Fixtures.LoadSetA());
        using (pipeline.Predict(Chronos2Fixtures.Rows(golden["context"]), Fixtures.Horizon(golden, "forecast"))[0]) { }
        GroupAttentions(pipeline.Model)[0].KeepsComposedWeight.Should().BeTrue();

        pipeline.Model.train();
        GroupAttentions(pipeline.Model).Should().OnlyContain(a => !a.KeepsComposedWeight, "training changes the weights");
        pipeline.Model.eval();
        using (pipeline.Predict(Chronos2Fixtures.Rows(golden["context"]), Fixtures.Horizon(golden, "forecast"))[0]) { }
        GroupAttentions(pipeline.Model)[0].KeepsComposedWeight.Should().BeTrue();
        pipeline.Model.UseEncoderDType(ScalarType.BFloat16);
        GroupAttentions(pipeline.Model).Should().OnlyContain(a => !a.KeepsComposedWeight, "the weights were converted");
    }

    [Fact]
    public void Libtorch_version_counter_moves_with_every_in_place_change()
    {
        TorchRuntime.EnsureLoaded();
        TensorVersion.IsAvailable.Should().Be(OperatingSystem.IsLinux(), "libtorch's operator is read on Linux");
        if (!TensorVersion.IsAvailable)
            return;
        using var weight = zeros(3, 3);
        var start = TensorVersion.Of(weight);
        using (no_grad())
        {
            weight.copy_(ones(3, 3));
            weight.add_(1);
        }
        TensorVersion.Of(weight).Should().Be(start + 2);
        using var sum = weight + 1;
        TensorVersion.Of(weight).Should().Be(start + 2, "an out-of-place operation leaves the tensor as it is");
    }

    private static Chronos2Pipeline Kernels(Chronos2Pipeline pipeline)
    {
        pipeline.Inference = Backends.Options(ChronosBackend.Kernels);
        return pipeline;
    }

    private static List<Chronos2Attention> GroupAttentions(Chronos2Model model) =>
        [.. model.named_modules().Where(m => m.name.Contains(".layer.1.", StringComparison.Ordinal)).Select(m => m.module).OfType<Chronos2Attention>()];

    /// <summary>The model's weights with every group attention's v and o scaled (a change the composed weight must follow).</summary>
    private static Dictionary<string, Tensor> PerturbedWeights(Chronos2Model model)
    {
        using var noGrad = no_grad();
        return model.state_dict().ToDictionary(entry => entry.Key, entry =>
            (IsGroupValueOrOutput(entry.Key) ? entry.Value * 1.25 : entry.Value.clone()).DetachFromDisposeScope());
    }

    private static bool IsGroupValueOrOutput(string name) =>
        name.Contains(".layer.1.", StringComparison.Ordinal) && (name.EndsWith(".v.weight", StringComparison.Ordinal) || name.EndsWith(".o.weight", StringComparison.Ordinal));

    private static void Apply(Change change, Chronos2Model model, Dictionary<string, Tensor> changed, string checkpointFolder)
    {
        switch (change)
        {
            case Change.LoadWeights:
                model.LoadWeights(changed, "perturbed weights");
                break;
            case Change.LoadCheckpointFolder:
                // A safetensors folder read tensor by tensor into the parameters' own memory.
                using (var checkpoint = SafetensorsCheckpoint.Open(checkpointFolder))
                    StateDictLoader.Load(model, checkpoint);
                break;
            case Change.MergeAdapter:
                new Chronos2Pipeline(model).MergeAdapter(Fixtures.SetA("chronos-2", "lora-adapter"));
                break;
            case Change.FineTune:
                new Chronos2FineTuner(model).Fit(Tasks(), 32, TuneOptions());
                break;
            case Change.FineTuneLora:
                new Chronos2FineTuner(model).FitLora(Tasks(), 32, TuneOptions() with { LearningRate = 1e-2 }).Adapter.Dispose();
                break;
            case Change.InPlaceByHand:
                using (no_grad())
                    foreach (var (name, parameter) in model.named_parameters().Where(p => IsGroupValueOrOutput(p.name)))
                        parameter.mul_(1.25);
                break;
            case Change.RawWriteThenInvalidate:
                foreach (var (name, parameter) in model.named_parameters().Where(p => IsGroupValueOrOutput(p.name)))
                {
                    // Writes through the tensor's memory: libtorch's version counter does not see them.
                    var values = MemoryMarshal.Cast<byte, float>(parameter.bytes);
                    for (var index = 0; index < values.Length; index++)
                        values[index] *= 1.25f;
                }
                model.InvalidateComposedWeights();
                break;
        }
    }

    private static FineTuneOptions TuneOptions() => new()
    {
        MaxSteps = 3, BatchSize = 4, LearningRate = 1e-3, ContextLength = 64, MinPast = 32, ValidationInterval = 3,
        EarlyStoppingPatience = 0, UseDropout = false, Seed = 5,
    };

    private static List<Chronos2Input> Tasks() =>
        [.. Enumerable.Range(0, 4).Select(i => new Chronos2Input([Enumerable.Range(0, 120).Select(t => (float)(10 + i + Math.Sin(t / 5.0 + i))).ToArray()]))];
}

[CollectionDefinition(nameof(Chronos2ComposedWeightTests), DisableParallelization = true)]
public class Chronos2ComposedWeightCollection;
