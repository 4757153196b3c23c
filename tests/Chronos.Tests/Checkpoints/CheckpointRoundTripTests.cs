using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Checkpoints;

/// <summary>
/// The checkpoint I/O with the real models: a hub download feeds the pipelines, and a model saved by us loads back
/// to identical outputs in a file identical to the one transformers wrote.
/// </summary>
public class CheckpointRoundTripTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task A_Bolt_checkpoint_downloaded_from_the_hub_reproduces_the_reference_forecast()
    {
        using var server = new LocalHubServer();
        server.AddRepo("amazon/chronos-bolt-dummy", Fixtures.Dummy("dummy-chronos-bolt-model", "model"));
        using var resolver = new CheckpointResolver(new HuggingFaceHubOptions { Endpoint = server.Endpoint, CacheDirectory = folder.Path });

        var snapshot = await resolver.ResolveAsync("amazon/chronos-bolt-dummy");

        using var pipeline = ChronosPretrained.LoadBolt(snapshot, SafetensorsTorch.ReadAll);
        pipeline.Warn = _ => { };
        var golden = SafetensorsTorch.ReadAll(Fixtures.Dummy("dummy-chronos-bolt-model", "sine.safetensors"));
        using var scope = NewDisposeScope();
        TensorAssert.Close(pipeline.Predict(golden["context"], 64), golden["forecast"], "sine forecast");
    }

    [Fact]
    public void A_saved_Bolt_model_is_the_transformers_file_and_forecasts_identically()
    {
        var original = Fixtures.SetA("chronos-bolt", "model");
        using var pipeline = ChronosPretrained.LoadBolt(original, SafetensorsTorch.ReadAll);
        pipeline.Warn = _ => { };

        SafetensorsTorch.SaveCheckpoint(folder.Path, pipeline.Model.state_dict());
        ChronosCheckpointConfig.ReadFolder(original).Write(folder.Path);

        File.ReadAllBytes(folder.File("model.safetensors")).Should().Equal(File.ReadAllBytes(Path.Combine(original, "model.safetensors")));
        File.ReadAllText(folder.File("config.json")).Should().Be(File.ReadAllText(Path.Combine(original, "config.json")));
        using var reloaded = ChronosPretrained.LoadBolt(folder.Path, SafetensorsTorch.ReadAll);
        reloaded.Warn = _ => { };
        var inputs = SafetensorsTorch.ReadAll(Fixtures.SetA("inputs.safetensors"));
        using var scope = NewDisposeScope();
        var before = pipeline.Predict(inputs["sine"][TensorIndex.None], 64);
        var after = reloaded.Predict(inputs["sine"][TensorIndex.None], 64);
        after.bytes.ToArray().Should().Equal(before.bytes.ToArray());
    }

    [Fact]
    public void A_saved_T5_model_drops_the_tied_copies_of_the_old_dummy_and_forecasts_identically()
    {
        var original = Fixtures.Dummy("dummy-chronos-model", "model");
        using var pipeline = ChronosPretrained.LoadT5(original, SafetensorsTorch.ReadAll);

        SafetensorsTorch.SaveCheckpoint(folder.Path, pipeline.Model.state_dict());
        ChronosCheckpointConfig.ReadFolder(original).Write(folder.Path);

        using (var saved = SafetensorsFile.Open(folder.File("model.safetensors")))
        using (var reference = SafetensorsFile.Open(Path.Combine(original, "model.safetensors")))
        {
            saved.Names.Should().Equal(reference.Names.Except(["encoder.embed_tokens.weight", "decoder.embed_tokens.weight"]));
            foreach (var name in saved.Names)
                saved.GetBytes(name).SequenceEqual(reference.GetBytes(name)).Should().BeTrue(name);
        }
        using var reloaded = ChronosPretrained.LoadT5(folder.Path, SafetensorsTorch.ReadAll);
        var golden = SafetensorsTorch.ReadAll(Fixtures.Dummy("dummy-chronos-model", "sine.safetensors"));
        using var scope = NewDisposeScope();
        var settings = new Forecast.Chronos.ChronosT5.SamplingSettings { NumSamples = 1, TopK = 1 };
        reloaded.Predict(golden["context"], 12, settings).bytes.ToArray()
            .Should().Equal(pipeline.Predict(golden["context"], 12, settings).bytes.ToArray());
    }

    [Theory]
    [InlineData("set-a/chronos-t5/model")]
    [InlineData("set-a/chronos-bolt/model")]
    [InlineData("dummy-models/dummy-chronos-model/model")]
    public void Saving_a_loaded_checkpoint_writes_the_files_transformers_wrote(string relative)
    {
        var original = Path.Combine(Fixtures.Root, relative);
        var config = ChronosCheckpointConfig.ReadFolder(original);
        var stateDict = SafetensorsTorch.ReadCheckpoint(original);
        try
        {
            ChronosCheckpointSaver.Save(folder.Path, stateDict, config).Should().BeNull();
        }
        finally
        {
            foreach (var tensor in stateDict.Values)
                tensor.Dispose();
        }

        var expectedFiles = Directory.EnumerateFiles(original).Select(Path.GetFileName).ToList();
        Directory.EnumerateFiles(folder.Path).Select(Path.GetFileName).Should().BeEquivalentTo(expectedFiles);
        if (File.Exists(Path.Combine(original, "generation_config.json")))
            File.ReadAllText(folder.File("generation_config.json")).Replace("\n", "").Replace(" ", "")
                .Should().Be(File.ReadAllText(Path.Combine(original, "generation_config.json")).Replace("\n", "").Replace(" ", ""));
        if (relative.StartsWith("set-a", StringComparison.Ordinal))
            foreach (var name in expectedFiles)
                File.ReadAllBytes(folder.File(name!)).Should().Equal(File.ReadAllBytes(Path.Combine(original, name!)), name);
    }

    [Fact]
    public void Reading_into_the_parameters_of_a_model_loads_it_exactly_in_float32_and_bfloat16()
    {
        var original = Fixtures.SetA("chronos-bolt", "model");
        var config = ChronosCheckpointConfig.ReadFolder(original);
        using var reference = ChronosPretrained.LoadBolt(original);
        using var checkpoint = SafetensorsCheckpoint.Open(original);

        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.BFloat16 })
        {
            using var model = new Forecast.Chronos.Bolt.ChronosBoltModel(config.T5!, config.Bolt!);
            model.to(dtype);
            foreach (var (name, parameter) in model.state_dict())
                SafetensorsTorch.CopyInto(checkpoint, name, parameter);

            foreach (var (name, expected) in reference.Model.state_dict())
            {
                using var wanted = expected.to_type(dtype);
                model.state_dict()[name].bytes.ToArray().Should().Equal(wanted.bytes.ToArray(), $"{dtype} {name}");
            }
        }
    }

    [Fact]
    public void Reading_into_a_tensor_of_another_shape_names_both_shapes()
    {
        using var checkpoint = SafetensorsCheckpoint.Open(Fixtures.SetA("chronos-bolt", "model"));
        using var wrong = zeros(3, 64);

        FluentActions.Invoking(() => SafetensorsTorch.CopyInto(checkpoint, "shared.weight", wrong))
            .Should().Throw<TensorShapeMismatchException>().WithMessage("*'shared.weight' has shape [2, 64] but [3, 64]*");
    }
}
