using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Tests.Support;

namespace Forecast.Chronos.Tests.Checkpoints;

public class SafetensorsCheckpointTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void Tied_names_resolve_in_both_the_old_and_the_new_T5_files()
    {
        using var old = SafetensorsCheckpoint.Open(Fixtures.Dummy("dummy-chronos-model", "model"));
        using var current = SafetensorsCheckpoint.Open(Fixtures.SetA("chronos-t5", "model"));

        old.Get("encoder.embed_tokens.weight").Info.Name.Should().Be("encoder.embed_tokens.weight");
        old.Get("lm_head.weight").Info.Name.Should().Be("shared.weight");
        current.Get("decoder.embed_tokens.weight").Info.Name.Should().Be("shared.weight");
        current.Get("lm_head.weight", [4096, 64]).Info.Shape.Should().Equal(4096, 64);
        current.Contains("encoder.block.9.layer.0.layer_norm.weight").Should().BeFalse();
    }

    [Fact]
    public void A_sharded_copy_reads_the_same_bytes_and_writes_the_transformers_index()
    {
        using var original = SafetensorsCheckpoint.Open(Fixtures.SetA("chronos-bolt", "model"));
        var file = original.Files[0];
        var specs = file.Header.Tensors.Select(t => new SafetensorsTensorSpec(t.Name, t.DType, t.Shape)).ToList();

        var index = SafetensorsShardWriter.Write(folder.Path, specs, (spec, stream) => stream.Write(file.GetBytes(spec.Name)),
            maxShardBytes: 600_000);

        index.Should().NotBeNull();
        index!.Shards.Should().Equal("model-00001-of-00004.safetensors", "model-00002-of-00004.safetensors",
            "model-00003-of-00004.safetensors", "model-00004-of-00004.safetensors");
        index.TotalSize.Should().Be(file.Header.DataLength);
        File.Exists(folder.File("model.safetensors")).Should().BeFalse();
        var indexText = File.ReadAllText(folder.File(SafetensorsIndex.FileName));
        indexText.Should().StartWith("{\n  \"metadata\": {\n    \"total_size\": " + file.Header.DataLength + "\n  },\n  \"weight_map\": {\n    \"decoder.block.0.")
            .And.EndWith("\"\n  }\n}\n");

        using var sharded = SafetensorsCheckpoint.Open(folder.Path);
        sharded.Files.Should().HaveCount(4);
        sharded.Names.Should().BeEquivalentTo(file.Names);
        foreach (var name in file.Names)
            sharded.GetBytes(name).SequenceEqual(file.GetBytes(name)).Should().BeTrue(name);
    }

    [Fact]
    public void An_index_naming_a_missing_shard_or_tensor_is_a_named_error()
    {
        File.WriteAllText(folder.File(SafetensorsIndex.FileName), """{"metadata":{"total_size":8},"weight_map":{"a":"model-00001-of-00001.safetensors"}}""");

        FluentActions.Invoking(() => SafetensorsCheckpoint.Open(folder.Path)).Should().Throw<FileNotFoundException>()
            .WithMessage("*shard 'model-00001-of-00001.safetensors'*");

        RawSafetensors.Write(folder, """{"b":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 8, "model-00001-of-00001.safetensors");
        FluentActions.Invoking(() => SafetensorsCheckpoint.Open(folder.Path)).Should().Throw<MissingTensorException>()
            .Which.TensorName.Should().Be("a");
    }

    [Fact]
    public void An_index_with_a_path_outside_the_folder_is_rejected()
    {
        File.WriteAllText(folder.File(SafetensorsIndex.FileName), """{"weight_map":{"a":"../escape.safetensors"}}""");

        FluentActions.Invoking(() => SafetensorsCheckpoint.Open(folder.Path)).Should().Throw<CheckpointConfigException>()
            .WithMessage("*weight_map['a']*not a file name*");
    }

    [Fact]
    public void A_folder_without_weights_says_what_it_looked_for()
    {
        FluentActions.Invoking(() => SafetensorsCheckpoint.Open(folder.Path)).Should().Throw<FileNotFoundException>()
            .WithMessage("*model.safetensors*model.safetensors.index.json*");
    }
}
