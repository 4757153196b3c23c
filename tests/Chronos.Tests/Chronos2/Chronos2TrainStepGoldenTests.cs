using Forecast.Chronos.Chronos2;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Chronos2;

/// <summary>
/// set-a chronos-2/train_step.safetensors: 4 windows in groups [0, 0, 1, 2] (row 1 starts with 60 NaN, row 3's
/// target ends with 3 NaN), forward with future_target — quantile predictions, the loss (mean over horizon, sum over
/// quantiles, mean over batch), every parameter's gradient and the global gradient norm.
/// </summary>
public sealed class Chronos2TrainStepGoldenTests
{
    [Fact]
    public void Train_step_reproduces_loss_gradients_and_norm()
    {
        using var pipeline = Chronos2Fixtures.LoadSetA();
        var model = pipeline.Model;
        var golden = Chronos2Fixtures.Golden("train_step.safetensors");
        var summary = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Fixtures.SetA("chronos-2", "summary.json")))
            .RootElement.GetProperty("train_step");
        using var scope = NewDisposeScope();
        model.eval();

        var (preds, loss) = model.forward(golden["context"], groupIds: golden["group_ids"], futureTarget: golden["future_target"],
            numOutputPatches: summary.GetProperty("num_output_patches").GetInt32());
        TensorAssert.Close(preds, golden["quantile_preds"], "quantile_preds");
        var expectedLoss = summary.GetProperty("loss").GetDouble();
        loss!.item<float>().Should().BeApproximately((float)expectedLoss, (float)(expectedLoss * 1e-5));

        model.zero_grad();
        loss.backward();
        var parameters = model.named_parameters().ToList();
        parameters.Select(p => "grad." + p.name).Should().BeEquivalentTo(golden.Keys.Where(k => k.StartsWith("grad.")));
        double squared = 0;
        foreach (var (name, parameter) in parameters)
        {
            squared += parameter.grad!.to_type(ScalarType.Float64).square().sum().item<double>();
            TensorAssert.Close(parameter.grad!, golden["grad." + name], "grad." + name);
        }
        var expectedNorm = summary.GetProperty("grad_norm").GetDouble();
        Math.Sqrt(squared).Should().BeApproximately(expectedNorm, expectedNorm * 1e-4, "global gradient norm");
    }

    [Fact]
    public void Objective_loss_is_the_model_loss_with_ceil_h_over_p_output_patches()
    {
        using var pipeline = Chronos2Fixtures.LoadSetA();
        var golden = Chronos2Fixtures.Golden("train_step.safetensors");
        using var scope = NewDisposeScope();
        var horizon = (int)golden["future_target"].shape[^1];
        var objective = new Chronos2Objective(pipeline.Model, predictionLength: horizon);
        objective.OutputPatches.Should().Be((horizon + pipeline.Model.PatchSize - 1) / pipeline.Model.PatchSize);
        var rows = TensorIndex.Slice(2, 4);   // rows 2 and 3 are their own groups, as the objective's windows are
        var expected = pipeline.Model.forward(golden["context"][rows], groupIds: tensor(new long[] { 0, 1 }),
            futureTarget: golden["future_target"][rows], numOutputPatches: objective.OutputPatches).Loss!.item<float>();
        objective.Loss(golden["context"][rows], golden["future_target"][rows]).item<float>().Should().Be(expected);
    }
}
