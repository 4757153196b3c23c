using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.FineTuning;

/// <summary>
/// One training step against the golden train_step files: loss, every gradient, the global gradient norm, and the
/// parameters after clip_grad_norm_(1.0) + one AdamW(lr 1e-3, weight decay 0) step (eval mode: dropout off).
/// The T5 file stores the gradients after clip_grad_norm_ scaled them in place (they are the raw gradients divided by
/// grad_norm); the Bolt file stores them before clipping.
/// AdamW's first step moves each weight by lr·g/(|g| + 1e-8): where the clipped gradient is comparable to eps that
/// ratio amplifies float32 noise of the gradient (|Δg| ~ 1e-10 moves the weight by ~1e-6), so the README's atol 1e-6
/// is applied where |g| ≥ 1e-6 (100·eps) and the bound |Δ| ≤ lr (the largest possible step) elsewhere.
/// </summary>
public class TrainStepGoldenTests
{
    [Fact]
    public void Chronos_t5_train_step_reproduces_loss_gradients_and_adamw_update()
    {
        using var pipeline = TestModels.LoadT5Pipeline(Fixtures.SetA("chronos-t5", "model"));
        var model = pipeline.Model;
        var golden = SafeTensorsFixture.Read(Fixtures.SetA("chronos-t5", "train_step.safetensors"));
        var summary = Fixtures.SetASummary.GetProperty("t5").GetProperty("train_step");
        using var scope = NewDisposeScope();

        var batch = ChronosT5TrainingBatch.Create(pipeline.Tokenizer, golden["context"], golden["future"]);
        TensorAssert.Equal(batch.InputIds, golden["input_ids"], "input_ids");
        TensorAssert.Equal(batch.AttentionMask, golden["attention_mask"], "attention_mask");
        TensorAssert.Equal(batch.Labels, golden["labels"], "labels");

        model.eval();
        var (loss, logits) = model.Loss(batch.InputIds, batch.AttentionMask, batch.Labels);
        TensorAssert.Close(logits, golden["logits"], "logits");
        loss.item<float>().Should().BeApproximately(summary.GetProperty("loss").GetSingle(), 1e-5f * 9);

        using var step = new OptimizerStep(model, 1e-3, 0.0, 1.0, new LinearWarmupSchedule(0, 1000));
        step.Backward(loss);
        AssertGradientsAndUpdate(model, golden, step, summary.GetProperty("grad_norm").GetDouble(),
            summary.GetProperty("clip_total_norm").GetDouble(), goldenGradientsAreClipped: true);
    }

    [Fact]
    public void Chronos_bolt_train_step_reproduces_losses_gradients_and_adamw_update()
    {
        var model = TestModels.LoadBolt(Fixtures.SetA("chronos-bolt", "model"));
        var golden = SafeTensorsFixture.Read(Fixtures.SetA("chronos-bolt", "train_step.safetensors"));
        var summary = Fixtures.SetASummary.GetProperty("bolt").GetProperty("train_step");
        using var scope = NewDisposeScope();
        model.eval();

        var (shortPreds, shortLoss) = model.forward(golden["context"], target: golden["future_short"]);
        TensorAssert.Close(shortPreds, golden["quantile_preds_short"], "quantile_preds_short");
        shortLoss!.item<float>().Should().BeApproximately(summary.GetProperty("loss_short").GetSingle(), 1e-5f * 90);

        var (preds, loss) = model.forward(golden["context"], target: golden["future"]);
        TensorAssert.Close(preds, golden["quantile_preds_full"], "quantile_preds_full");
        loss!.item<float>().Should().BeApproximately(summary.GetProperty("loss_full").GetSingle(), 1e-5f * 100);

        using var step = new OptimizerStep(model, 1e-3, 0.0, 1.0, new LinearWarmupSchedule(0, 1000));
        step.Backward(loss);
        AssertGradientsAndUpdate(model, golden, step, summary.GetProperty("grad_norm_full").GetDouble(),
            summary.GetProperty("clip_total_norm").GetDouble(), goldenGradientsAreClipped: false);
    }

    private static void AssertGradientsAndUpdate(nn.Module model, Dictionary<string, Tensor> golden, OptimizerStep step,
        double expectedNorm, double expectedClipNorm, bool goldenGradientsAreClipped)
    {
        var parameters = model.named_parameters().ToList();
        parameters.Select(p => "grad." + p.name).Should().BeEquivalentTo(golden.Keys.Where(k => k.StartsWith("grad.")));
        double squared = 0;
        foreach (var (name, parameter) in parameters)
            squared += parameter.grad!.to_type(ScalarType.Float64).square().sum().item<double>();
        Math.Sqrt(squared).Should().BeApproximately(expectedNorm, expectedNorm * 1e-4, "global gradient norm before clipping");
        if (!goldenGradientsAreClipped)
            foreach (var (name, parameter) in parameters)
                TensorAssert.Close(parameter.grad!, golden["grad." + name], "grad." + name);

        var clipNorm = step.ClipAndUpdate();

        clipNorm.Should().BeApproximately(expectedClipNorm, expectedClipNorm * 1e-4, "clip_grad_norm_ result");
        var clipFactor = Math.Min(1.0, 1.0 / (expectedClipNorm + 1e-6));
        foreach (var (name, parameter) in parameters)
        {
            if (goldenGradientsAreClipped)
                TensorAssert.Close(parameter.grad!, golden["grad." + name], "clipped grad." + name);
            var clippedGradient = goldenGradientsAreClipped ? golden["grad." + name] : golden["grad." + name] * clipFactor;
            var wellConditioned = clippedGradient.abs().ge(1e-6);
            var expected = golden["param_after." + name];
            TensorAssert.Close(parameter.where(wellConditioned, expected), expected, "param_after." + name, rtol: 0, atol: 1e-6);
            TensorAssert.Close(parameter, expected, "param_after." + name + " (|g| ~ eps)", rtol: 0, atol: 1e-3);
        }
    }
}
