using System.Text.Json.Nodes;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Chronos2;
using Forecast.Chronos.Tests.Checkpoints;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Chronos2;

/// <summary>Bad checkpoints and inputs give exceptions that name the file, tensor, task or field and the fix.</summary>
public sealed class Chronos2BadInputTests : IClassFixture<Chronos2ModelGoldenTests.Shared>, IDisposable
{
    private readonly Chronos2Pipeline pipeline;
    private readonly List<TempFolder> checkpoints = [];

    public Chronos2BadInputTests(Chronos2ModelGoldenTests.Shared shared) => pipeline = shared.Pipeline;

    public void Dispose() => checkpoints.ForEach(folder => folder.Dispose());

    private string CheckpointWith(Action<JsonObject> editConfig, Func<Dictionary<string, Tensor>, Dictionary<string, Tensor>>? editTensors = null)
    {
        var folder = new TempFolder();
        checkpoints.Add(folder);
        var directory = folder.Path;
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(Chronos2Fixtures.SetAModel, "config.json")))!.AsObject();
        editConfig(config);
        File.WriteAllText(Path.Combine(directory, "config.json"), config.ToJsonString());
        File.Copy(Path.Combine(Chronos2Fixtures.SetAModel, "model.safetensors"), Path.Combine(directory, "model.safetensors"));
        return directory;
    }

    [Fact]
    public void A_non_chronos2_architecture_is_named()
    {
        var directory = CheckpointWith(c => c["architectures"] = new JsonArray("ChronosBoltModelForForecasting"));
        var act = () => Chronos2Pretrained.Load(directory);
        act.Should().Throw<CheckpointConfigException>()
            .WithMessage("*config.json: chronos_pipeline_class*does not match architectures[0] 'ChronosBoltModelForForecasting'*");
    }

    [Fact]
    public void A_missing_chronos_config_field_or_unequal_patch_sizes_are_named()
    {
        var missing = () => Chronos2Pretrained.Load(
            CheckpointWith(c => c["chronos_config"]!.AsObject().Remove("context_length")));
        missing.Should().Throw<CheckpointConfigException>().WithMessage("*config.json: chronos_config.context_length*is missing*");

        var unequal = () => Chronos2Pretrained.Load(
            CheckpointWith(c => c["chronos_config"]!["output_patch_size"] = 8));
        unequal.Should().Throw<CheckpointConfigException>().WithMessage("*config.json: *input_patch_size (16) and output_patch_size (8) must be equal*");
    }

    [Fact]
    public void A_shape_mismatch_names_the_tensor()
    {
        var act = () => Chronos2Pretrained.Load(CheckpointWith(c => c["d_ff"] = 256));
        act.Should().Throw<Forecast.Chronos.Checkpoints.TensorShapeMismatchException>()
            .WithMessage("*model.safetensors: tensor '*.weight' has shape [128, *] but [256, *] is expected*");
    }

    [Fact]
    public void A_missing_layer_is_named()
    {
        var act = () => Chronos2Pretrained.Load(CheckpointWith(c => c["num_layers"] = 3));
        act.Should().Throw<Forecast.Chronos.Checkpoints.MissingTensorException>()
            .WithMessage("*model.safetensors: tensor 'encoder.block.2.*' is not in this checkpoint*");
    }

    [Fact]
    public void An_all_nan_target_names_the_task_and_variate()
    {
        var act = () => pipeline.Predict([new float[] { 1, 2, 3 }, [float.NaN, float.NaN]], 16);
        act.Should().Throw<ArgumentException>().WithMessage("*inputs[1].Target[0] has no observed value*");
    }

    [Fact]
    public void Infinite_values_name_the_series_and_position()
    {
        var act = () => pipeline.Predict([new float[] { 1, float.PositiveInfinity, 3 }], 16);
        act.Should().Throw<ArgumentException>().WithMessage("*inputs[0].Target[0] has a non-finite value (*) at position 1; replace it with NaN*");
    }

    [Fact]
    public void Covariate_schema_errors_name_the_covariate()
    {
        var history = new float[] { 1, 2, 3, 4 };
        var futureWithoutPast = () => pipeline.Predict(
            [new Chronos2Input([history], futureCovariates: new Dictionary<string, float[]> { ["price"] = new float[16] })], 16);
        futureWithoutPast.Should().Throw<ArgumentException>().WithMessage("*FutureCovariates[\"price\"] has no past values*");

        var wrongLength = () => pipeline.Predict(
            [new Chronos2Input([history], new Dictionary<string, float[]> { ["price"] = new float[3] })], 16);
        wrongLength.Should().Throw<ArgumentException>().WithMessage("*PastCovariates[\"price\"] has 3 values but the target history has 4*");
    }

    [Fact]
    public void Horizon_above_the_model_limit_warns_or_throws_when_limited()
    {
        var warnings = new List<string>();
        pipeline.Warn = warnings.Add;
        try
        {
            var limited = () => pipeline.Predict([new float[] { 1, 2, 3 }], 1040, new Chronos2PredictOptions { LimitPredictionLength = true });
            limited.Should().Throw<ArgumentException>().WithMessage("*prediction length <= 1024*");
            var forecast = pipeline.Predict([new float[] { 1, 2, 3 }], 1040);
            forecast[0].shape.Should().Equal(1, 21, 1040);
            warnings.Should().ContainSingle(w => w.Contains("prediction length <= 1024"));
        }
        finally
        {
            pipeline.Warn = _ => { };
        }
    }

    [Fact]
    public void Unrolled_quantiles_must_be_model_quantiles()
    {
        var act = () => pipeline.Predict([new float[] { 1, 2, 3 }], 16, new Chronos2PredictOptions { UnrolledQuantiles = [0.33f] });
        act.Should().Throw<ArgumentException>().WithMessage("*UnrolledQuantiles (0.33)*subset*");
    }
}
