using System.Text.Json;
using Forecast.Chronos.Chronos2;
using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Inference;
using Forecast.Chronos.Lora;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Chronos2;

/// <summary>
/// LoRA on Chronos-2 against the real reference (bench/Chronos/python/make_lora_golden.py: peft 0.14 on the set-a model
/// with Chronos2Pipeline.fit's target modules, r and alpha from the adapter's own config): the adapter peft saved
/// (lora-adapter/) loads and forecasts as the reference with it; one training step on train_step.safetensors' batch gives
/// the reference's loss, LoRA gradients, norm and AdamW update; an adapter we save loads back and has peft's layout; an
/// adapter for another base model is a named error.
/// </summary>
public sealed class Chronos2LoraTests
{
    private static string AdapterFolder => Fixtures.SetA("chronos-2", "lora-adapter");

    private static Dictionary<string, Tensor> Golden() => Chronos2Fixtures.Golden("lora_train_step.safetensors");

    [Theory]
    [Backend(ChronosBackend.Libtorch)]
    [Backend(ChronosBackend.Kernels)]
    public void A_reference_adapter_merged_forecasts_as_the_reference_with_it(ChronosBackend backend)
    {
        using var pipeline = Chronos2Fixtures.LoadSetA();
        pipeline.Inference = Backends.Options(backend);
        var golden = Golden();
        pipeline.MergeAdapter(AdapterFolder);

        var forecast = pipeline.Predict([golden["forecast_context"].data<float>().ToArray()], Fixtures.Horizon(golden, "forecast_adapter"));

        TensorAssert.Close(forecast[0], golden["forecast_adapter"], "forecast_adapter");
    }

    [Fact]
    public void FromPretrained_of_an_adapter_folder_loads_its_base_and_merges_it()
    {
        var golden = Golden();
        using var pipeline = Chronos.FromPretrained(AdapterFolder);

        pipeline.Should().BeOfType<Chronos2Pipeline>();
        using var forecast = pipeline.Predict([golden["forecast_context"].data<float>().ToArray()], Fixtures.Horizon(golden, "forecast_adapter"));
        TensorAssert.Close(forecast, golden["forecast_adapter"], "forecast_adapter");
    }

    [Fact]
    public void One_training_step_reproduces_the_reference_loss_gradients_and_update()
    {
        using var pipeline = Chronos2Fixtures.LoadSetA();
        var model = pipeline.Model;
        var golden = Golden();
        var batch = Chronos2Fixtures.Golden("train_step.safetensors");
        var outputPatches = JsonDocument.Parse(File.ReadAllText(Fixtures.SetA("chronos-2", "summary.json")))
            .RootElement.GetProperty("train_step").GetProperty("num_output_patches").GetInt32();
        using var adapter = LoraAdapter.Load(AdapterFolder, model);
        foreach (var parameter in model.parameters())
            parameter.requires_grad = false;
        using var scope = NewDisposeScope();
        model.eval();

        var (preds, loss) = model.forward(batch["context"], groupIds: batch["group_ids"], futureTarget: batch["future_target"],
            numOutputPatches: outputPatches);
        TensorAssert.Close(preds, golden["quantile_preds"], "quantile_preds");
        var expectedLoss = golden["loss"].item<float>();
        loss!.item<float>().Should().BeApproximately(expectedLoss, Math.Abs(expectedLoss) * 1e-5f);

        using var step = new OptimizerStep(adapter, learningRate: 1e-3, weightDecay: 0, maxGradNorm: 1.0, new LinearWarmupSchedule(0, 1000));
        step.Backward(loss);
        var parameters = Named(adapter);
        parameters.Keys.Should().BeEquivalentTo(golden.Keys.Where(k => k.StartsWith("grad.", StringComparison.Ordinal)).Select(k => k["grad.".Length..]));
        foreach (var (name, parameter) in parameters)
            TensorAssert.Close(parameter.grad!, golden["grad." + name], "grad." + name);
        var norm = step.ClipAndUpdate();
        var expectedNorm = golden["grad_norm"].item<float>();
        norm.Should().BeApproximately(expectedNorm, expectedNorm * 1e-4, "gradient norm before clipping");
        // A first AdamW step moves each weight by about lr · sign(gradient): compare at the scale of the step.
        foreach (var (name, parameter) in parameters)
            TensorAssert.Close(parameter, golden["after." + name], "after." + name, rtol: 1e-4, atol: 2e-5);
    }

    [Fact]
    public void An_adapter_saved_here_has_peft_layout_and_loads_back_to_the_same_forecast()
    {
        using var folder = new Forecast.Chronos.Tests.Checkpoints.TempFolder();
        using var pipeline = Chronos2Fixtures.LoadSetA();
        var golden = Golden();
        float[] context = golden["forecast_context"].data<float>().ToArray();
        var horizon = Fixtures.Horizon(golden, "forecast_adapter");
        random.manual_seed(11);
        var config = new LoraConfig { R = 2, Alpha = 6 };
        using (var adapter = LoraAdapter.Inject(pipeline.Model, config))
        {
            using (no_grad())
                foreach (var parameter in adapter.parameters())
                    parameter.normal_(0, 0.05);
            adapter.Save(folder.Path, "amazon/chronos-2");
            adapter.Merge();
        }
        var tuned = pipeline.Predict([context], horizon)[0];

        var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.Path, "adapter_config.json"))).RootElement;
        written.GetProperty("peft_type").GetString().Should().Be("LORA");
        written.GetProperty("r").GetInt32().Should().Be(2);
        written.GetProperty("lora_alpha").GetDouble().Should().Be(6);
        written.GetProperty("base_model_name_or_path").GetString().Should().Be("amazon/chronos-2");
        written.GetProperty("target_modules").EnumerateArray().Select(t => t.GetString()).Should().Equal(LoraConfig.Chronos2TargetModules);
        var reference = SafeTensorsFixture.Read(Path.Combine(AdapterFolder, "adapter_model.safetensors"));
        var ours = SafeTensorsFixture.Read(Path.Combine(folder.Path, "adapter_model.safetensors"));
        ours.Keys.Should().BeEquivalentTo(reference.Keys, "the tensor names peft writes for the same targets");

        using var reloaded = Chronos2Fixtures.LoadSetA();
        reloaded.MergeAdapter(folder.Path);
        TensorAssert.Close(reloaded.Predict([context], horizon)[0], tuned, "reloaded adapter", rtol: 1e-6, atol: 1e-6);
    }

    [Fact]
    public void An_adapter_for_another_base_model_is_a_named_error()
    {
        using var other = Chronos2Fixtures.LoadDummy();
        var load = () => other.MergeAdapter(AdapterFolder);
        load.Should().Throw<LoraAdapterException>().WithMessage("*adapter_model.safetensors*lora_A.weight*has shape*needs*another base model*");
    }

    [Fact]
    public void A_config_json_where_adapter_config_json_belongs_is_a_named_error()
    {
        using var folder = new Forecast.Chronos.Tests.Checkpoints.TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "adapter_config.json"), """{"peft_type": "PREFIX_TUNING", "base_model_name_or_path": "../model"}""");
        using var pipeline = Chronos2Fixtures.LoadSetA();
        var load = () => pipeline.MergeAdapter(folder.Path);
        load.Should().Throw<LoraAdapterException>().WithMessage("*adapter_config.json*peft_type is 'PREFIX_TUNING'*LoRA*");
    }

    [Fact]
    public void Lora_fine_tuning_trains_only_the_adapter_and_merges_it()
    {
        using var pipeline = Chronos2Fixtures.LoadSetA();
        var golden = Golden();
        float[] series = golden["forecast_context"].data<float>().ToArray();
        var horizon = Fixtures.Horizon(golden, "forecast_adapter");
        var before = pipeline.Model.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().clone());
        var options = new FineTuneOptions { MaxSteps = 2, BatchSize = 4, LearningRate = 1e-2, MinPast = 16, ValidationInterval = 0 };

        var (result, adapter) = new Chronos2FineTuner(pipeline.Model).FitLora([Chronos2Input.Univariate(series)], horizon, options);

        using (adapter)
        {
            result.Steps.Should().Be(2);
            adapter.IsMerged.Should().BeTrue();
            var changed = pipeline.Model.state_dict().Where(e => !e.Value.allclose(before[e.Key], rtol: 0, atol: 0)).Select(e => e.Key).ToList();
            changed.Should().NotBeEmpty().And.OnlyContain(name => adapter.ModulePaths.Any(path => name == path + ".weight"),
                "only the adapted layers' weights change (by the merged update)");
            pipeline.Model.parameters().Should().OnlyContain(p => p.requires_grad, "the model's weights are trainable again afterwards");
        }
    }

    private static Dictionary<string, TorchSharp.Modules.Parameter> Named(LoraAdapter adapter)
    {
        // Our parameter names are the module paths with '_'; peft's saved names are base_model.model.<path>.lora_X.weight.
        var byKey = adapter.ModulePaths.SelectMany(path => new[] { (path, "A"), (path, "B") })
            .ToDictionary(p => p.path.Replace('.', '_') + "_lora_" + p.Item2, p => $"base_model.model.{p.path}.lora_{p.Item2}.weight");
        return adapter.named_parameters().ToDictionary(p => byKey[p.name], p => p.parameter);
    }
}
