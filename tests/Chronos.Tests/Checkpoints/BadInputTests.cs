using System.Text.Json.Nodes;
using Forecast.Chronos.Bolt;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Checkpoints;

/// <summary>Bad checkpoints and bad inputs give exceptions that name the file, field, tensor or series.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("chronos-bad-input-").FullName;

    private static readonly Lazy<ChronosBoltPipeline> Bolt =
        new(() => ChronosPretrained.LoadBolt(Fixtures.SetA("chronos-bolt", "model")));

    private static readonly Lazy<Forecast.Chronos.ChronosT5.ChronosT5Pipeline> T5 =
        new(() => ChronosPretrained.LoadT5(Fixtures.SetA("chronos-t5", "model")));

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string CheckpointWithConfig(Action<JsonObject> edit)
    {
        var config = JsonNode.Parse(File.ReadAllText(Fixtures.SetA("chronos-bolt", "model", "config.json")))!.AsObject();
        edit(config);
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
        File.Copy(Fixtures.SetA("chronos-bolt", "model", "model.safetensors"), Path.Combine(folder, "model.safetensors"), overwrite: true);
        return folder;
    }

    [Fact]
    public void Unknown_architecture_in_config_json_is_named_with_the_supported_ones()
    {
        var directory = CheckpointWithConfig(c => c["architectures"] = new JsonArray("MysteryForecaster"));

        var act = () => ChronosPretrained.LoadBolt(directory);

        act.Should().Throw<UnknownArchitectureException>()
            .WithMessage("*config.json: unknown architecture 'MysteryForecaster'*T5ForConditionalGeneration, ChronosBoltModelForForecasting*");
    }

    [Fact]
    public void A_Chronos_2_checkpoint_given_to_the_Bolt_loader_is_refused_naming_the_right_loader()
    {
        var directory = CheckpointWithConfig(c =>
        {
            c["architectures"] = new JsonArray("Chronos2Model");
            c["chronos_pipeline_class"] = "Chronos2Pipeline";
            c["chronos_config"] = new JsonObject
            {
                ["context_length"] = 2048,
                ["input_patch_size"] = 16,
                ["input_patch_stride"] = 16,
                ["output_patch_size"] = 16,
                ["quantiles"] = new JsonArray(0.1, 0.5, 0.9),
            };
        });

        var act = () => ChronosPretrained.LoadBolt(directory);

        act.Should().Throw<CheckpointConfigException>().WithMessage("*config.json*Chronos2 checkpoint, not ChronosBolt*Chronos2Pretrained.Load*");
    }

    [Fact]
    public void A_config_without_chronos_config_or_with_a_wrong_field_type_is_named()
    {
        var noChronos = () => ChronosCheckpointConfig.Read(CheckpointWithConfig(c => c.Remove("chronos_config")) + "/config.json");
        var wrongType = () => ChronosCheckpointConfig.Read(CheckpointWithConfig(c => c["d_model"] = "wide") + "/config.json");

        noChronos.Should().Throw<CheckpointConfigException>().WithMessage("*config.json: no chronos_config object*not a Chronos checkpoint*");
        wrongType.Should().Throw<CheckpointConfigException>().WithMessage("*config.json: d_model is \"wide\", expected*");
    }

    [Fact]
    public void A_missing_tensor_is_named()
    {
        var directory = CheckpointWithConfig(_ => { });
        IReadOnlyDictionary<string, Tensor> WithoutOne(string path)
        {
            var tensors = SafeTensorsFixture.Read(path);
            tensors.Remove("decoder.block.1.layer.1.EncDecAttention.v.weight");
            return tensors;
        }

        var act = () => ChronosPretrained.LoadBolt(directory, WithoutOne);

        act.Should().Throw<MissingTensorException>()
            .WithMessage("*model.safetensors: tensor 'decoder.block.1.layer.1.EncDecAttention.v.weight' is not in this checkpoint*");
    }

    [Fact]
    public void A_shape_mismatch_names_the_tensor_and_both_shapes()
    {
        // config.json says d_ff 128 while the weights were trained with 256.
        var directory = CheckpointWithConfig(c => c["d_ff"] = 128);

        var act = () => ChronosPretrained.LoadBolt(directory);

        act.Should().Throw<TensorShapeMismatchException>()
            .WithMessage("*model.safetensors: tensor '*' has shape [256, *] but [128, *] is expected*");
    }

    [Fact]
    public void An_unexpected_tensor_is_named()
    {
        var directory = CheckpointWithConfig(c => c["num_layers"] = 1);

        var act = () => ChronosPretrained.LoadBolt(directory);

        act.Should().Throw<InvalidDataException>().WithMessage("*unexpected tensors encoder.block.1.*");
    }

    [Fact]
    public void A_context_that_is_all_NaN_is_named_by_series()
    {
        float[][] series = [[1, 2, 3], [float.NaN, float.NaN]];

        var bolt = () => Bolt.Value.Predict(series);
        var t5 = () => T5.Value.Predict(series);

        bolt.Should().Throw<ArgumentException>().WithMessage("Series 1 has no observed value*");
        t5.Should().Throw<ArgumentException>().WithMessage("Series 1 has no observed value*");
    }

    [Fact]
    public void Non_finite_values_are_named_by_series_and_position()
    {
        float[][] series = [[1, 2, 3, 4], [1, float.PositiveInfinity, 3]];

        var bolt = () => Bolt.Value.Predict(series);
        var t5 = () => T5.Value.Embed(Forecast.Chronos.Common.ContextBatch.LeftPadAndStack(series));

        // Series 1 is left-padded by one NaN, so its infinity sits at position 2 of the padded context.
        bolt.Should().Throw<ArgumentException>().WithMessage("Series 1 has a non-finite value (Infinity) at position 2*");
        t5.Should().Throw<ArgumentException>().WithMessage("Series 1 has a non-finite value*");
    }

    [Fact]
    public void A_prediction_length_above_the_limit_warns_unless_the_limit_is_enforced()
    {
        var pipeline = Bolt.Value;
        var warnings = new List<string>();
        pipeline.Warn = warnings.Add;
        float[][] series = [[1, 2, 3, 4, 5, 6]];

        using (pipeline.Predict(series, predictionLength: 65)) { }
        var enforced = () => pipeline.Predict(series, predictionLength: 65, limitPredictionLength: true);
        var t5Enforced = () => T5.Value.Predict(series, predictionLength: 65, limitPredictionLength: true);

        warnings.Should().ContainSingle().Which.Should().StartWith("We recommend keeping prediction length <= 64.");
        enforced.Should().Throw<ArgumentException>().WithMessage("*prediction length <= 64*limitPredictionLength*");
        t5Enforced.Should().Throw<ArgumentException>().WithMessage("*prediction length <= 64*limitPredictionLength*");
    }
}
