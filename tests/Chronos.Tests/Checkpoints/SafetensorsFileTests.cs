using System.Runtime.InteropServices;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Tests.Support;

namespace Forecast.Chronos.Tests.Checkpoints;

public class SafetensorsFileTests
{
    // Expected values were read from the reference files with Python's struct module (shared/reference/chronos).
    public static TheoryData<string, int, long[], float[], string, float> Checkpoints => new()
    {
        { "dummy-models/dummy-chronos-model/model/model.safetensors", 28, [32, 64], [0.058837890625f, -0.036376953125f, 0.00830078125f], "shared.weight", -0.050537109375f },
        { "dummy-models/dummy-chronos-bolt-model/model/model.safetensors", 101, [2, 8], [0.04547295719385147f, 0.04543047770857811f, -0.0727141872048378f], "shared.weight", 0.03346213698387146f },
        { "dummy-models/dummy-chronos2-model/model/model.safetensors", 40, [2, 6], [-0.10805276036262512f, -0.007462914567440748f, 0.052323486655950546f], "shared.weight", 0.04154542088508606f },
        { "set-a/chronos-t5/model/model.safetensors", 47, [4096, 64], [-1.658454418182373f, -0.24532276391983032f, -0.06727611273527145f], "shared.weight", 0.7603891491889954f },
        { "set-a/chronos-bolt/model/model.safetensors", 59, [2, 64], [-0.5566349625587463f, 0.20391997694969177f, -0.654973566532135f], "shared.weight", -0.5802590250968933f },
        { "set-a/chronos-2/model/model.safetensors", 40, [2, 64], [1.3725649118423462f, 0.7933016419410706f, -1.1554555892944336f], "shared.weight", -0.07695561647415161f },
    };

    [Theory]
    [MemberData(nameof(Checkpoints))]
    public void Reads_every_reference_checkpoint(string relative, int count, long[] sharedShape, float[] sharedFirst,
        string lastTensor, float lastValue)
    {
        using var file = SafetensorsFile.Open(Path.Combine(Fixtures.Root, relative));

        file.Header.Tensors.Should().HaveCount(count);
        file.Header.Metadata.Should().Equal(new Dictionary<string, string> { ["format"] = "pt" });
        file.Header.Tensors.Should().OnlyContain(t => t.DType == SafetensorsDType.Float32);
        var shared = file.GetInfo("shared.weight", sharedShape);
        MemoryMarshal.Cast<byte, float>(file.GetBytes(shared))[..3].ToArray().Should().Equal(sharedFirst);
        file.Header.Tensors[^1].Name.Should().Be(lastTensor);
        MemoryMarshal.Cast<byte, float>(file.GetBytes(lastTensor))[^1].Should().Be(lastValue);
        file.Header.DataStart.Should().Be(8 + file.Header.HeaderLength);
        (file.Header.DataStart + file.Header.DataLength).Should().Be(file.Length);
    }

    [Fact]
    public void The_old_T5_dummy_holds_tied_copies_equal_to_shared()
    {
        using var file = SafetensorsFile.Open(Fixtures.Dummy("dummy-chronos-model", "model", "model.safetensors"));

        file.Names.Should().Contain(["encoder.embed_tokens.weight", "decoder.embed_tokens.weight"]);
        file.Names.Should().NotContain("lm_head.weight");
        file.GetBytes("encoder.embed_tokens.weight").SequenceEqual(file.GetBytes("shared.weight")).Should().BeTrue();
    }

    [Fact]
    public void Reads_every_dtype_the_golden_files_use()
    {
        using var file = SafetensorsFile.Open(Fixtures.SetA("chronos-t5", "sine.safetensors"));

        file.GetInfo("token_ids").DType.Should().Be(SafetensorsDType.Int64);
        file.GetInfo("attention_mask").DType.Should().Be(SafetensorsDType.UInt8);
        file.GetInfo("context").DType.Should().Be(SafetensorsDType.Float32);
        MemoryMarshal.Cast<byte, long>(file.GetBytes("token_ids"))[^1].Should().Be(1, "the last token id is EOS");
    }

    [Fact]
    public void A_missing_tensor_is_named()
    {
        using var file = SafetensorsFile.Open(Fixtures.SetA("chronos-bolt", "model", "model.safetensors"));

        var act = () => file.GetInfo("lm_head.weight");

        act.Should().Throw<MissingTensorException>().Which.TensorName.Should().Be("lm_head.weight");
        act.Should().Throw<MissingTensorException>().WithMessage("*model.safetensors*lm_head.weight*");
    }

    [Fact]
    public void A_shape_mismatch_names_the_tensor_and_both_shapes()
    {
        using var file = SafetensorsFile.Open(Fixtures.SetA("chronos-bolt", "model", "model.safetensors"));

        var act = () => file.GetInfo("shared.weight", [2, 32]);

        act.Should().Throw<TensorShapeMismatchException>()
            .WithMessage("*'shared.weight' has shape [2, 64] but [2, 32] is expected*");
    }

    [Fact]
    public void CopyTo_reads_the_same_bytes_as_the_mapping_and_checks_the_length()
    {
        using var file = SafetensorsFile.Open(Fixtures.SetA("chronos-t5", "model", "model.safetensors"));
        foreach (var info in file.Header.Tensors)
        {
            var copy = new byte[info.ByteLength];
            file.CopyTo(info, copy);
            copy.AsSpan().SequenceEqual(file.GetBytes(info)).Should().BeTrue(info.Name);
        }

        var shared = file.GetInfo("shared.weight");
        FluentActions.Invoking(() => file.CopyTo(shared, new byte[10])).Should().Throw<ArgumentException>()
            .WithMessage("*'shared.weight' has 1048576 bytes but the destination holds 10*");
    }
}
