using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Checkpoints;

public class SafetensorsTorchTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    // Values exactly representable in both bfloat16 and float16 (8 significant bits, within half's range).
    private static readonly float[] Exact = [1f, -2.5f, 0.0078125f, 96f, -0.33203125f, 0f];

    private string WriteHalfFile()
    {
        var bf16 = Exact.SelectMany(v => BitConverter.GetBytes((ushort)(BitConverter.SingleToInt32Bits(v) >>> 16))).ToArray();
        var f16 = Exact.SelectMany(v => BitConverter.GetBytes((Half)v)).ToArray();
        var path = folder.File("half.safetensors");
        SafetensorsWriter.Write(path,
        [
            (new SafetensorsTensorSpec("bf16", SafetensorsDType.BFloat16, [2, 3]), bf16),
            (new SafetensorsTensorSpec("f16", SafetensorsDType.Float16, [2, 3]), f16),
            (new SafetensorsTensorSpec("ids", SafetensorsDType.Int64, [2]), BitConverter.GetBytes(7L).Concat(BitConverter.GetBytes(-1L)).ToArray()),
        ]);
        return path;
    }

    [Fact]
    public void BF16_and_F16_become_exact_float32_by_default()
    {
        var tensors = SafetensorsTorch.ReadAll(WriteHalfFile());
        try
        {
            tensors["bf16"].dtype.Should().Be(ScalarType.Float32);
            tensors["bf16"].shape.Should().Equal(2, 3);
            tensors["bf16"].data<float>().ToArray().Should().Equal(Exact);
            tensors["f16"].data<float>().ToArray().Should().Equal(Exact);
            tensors["ids"].dtype.Should().Be(ScalarType.Int64, "integer tensors keep their type");
            tensors["ids"].data<long>().ToArray().Should().Equal(7L, -1L);
        }
        finally
        {
            foreach (var tensor in tensors.Values)
                tensor.Dispose();
        }
    }

    [Fact]
    public void BF16_is_kept_when_asked_and_saves_back_to_the_same_bytes()
    {
        var path = WriteHalfFile();
        var tensors = SafetensorsTorch.ReadAll(path, floatingDType: null);
        try
        {
            tensors["bf16"].dtype.Should().Be(ScalarType.BFloat16);
            tensors["f16"].dtype.Should().Be(ScalarType.Float16);
            var copy = folder.File("copy.safetensors");
            SafetensorsTorch.Save(copy, tensors);
            File.ReadAllBytes(copy).Should().Equal(File.ReadAllBytes(path));
        }
        finally
        {
            foreach (var tensor in tensors.Values)
                tensor.Dispose();
        }
    }

    [Fact]
    public void Float32_weights_can_be_loaded_as_bfloat16()
    {
        using var file = SafetensorsFile.Open(Fixtures.SetA("chronos-bolt", "model", "model.safetensors"));
        using var shared32 = SafetensorsTorch.ToTensor(file, "shared.weight", [2, 64]);
        using var shared16 = SafetensorsTorch.ToTensor(file, "shared.weight", [2, 64], ScalarType.BFloat16);
        using var expected = shared32.to_type(ScalarType.BFloat16);

        shared16.dtype.Should().Be(ScalarType.BFloat16);
        shared16.bytes.ToArray().Should().Equal(expected.bytes.ToArray());
        shared32[0, 0].item<float>().Should().Be(-0.5566349625587463f);
    }

    [Fact]
    public void Saving_a_T5_state_dict_reproduces_the_transformers_file_byte_for_byte()
    {
        var stateDict = SafetensorsTorch.ReadCheckpoint(Fixtures.SetA("chronos-t5", "model"));
        try
        {
            // As a model's state_dict after tie_weights: the tied copies are present and equal.
            stateDict["encoder.embed_tokens.weight"] = stateDict["shared.weight"].alias();
            stateDict["lm_head.weight"] = stateDict["shared.weight"].alias();

            var index = SafetensorsTorch.SaveCheckpoint(folder.Path, stateDict);

            index.Should().BeNull();
            File.ReadAllBytes(folder.File("model.safetensors")).Should()
                .Equal(File.ReadAllBytes(Fixtures.SetA("chronos-t5", "model", "model.safetensors")));
        }
        finally
        {
            foreach (var tensor in stateDict.Values)
                tensor.Dispose();
        }
    }

    [Fact]
    public void A_tied_copy_that_differs_is_refused()
    {
        using var shared = ones(4, 2);
        using var other = zeros(4, 2);
        var stateDict = new Dictionary<string, Tensor> { ["shared.weight"] = shared, ["lm_head.weight"] = other };

        FluentActions.Invoking(() => SafetensorsTorch.SaveCheckpoint(folder.Path, stateDict))
            .Should().Throw<InvalidDataException>().WithMessage("*'lm_head.weight' is tied to 'shared.weight'*");
        SafetensorsTorch.SaveCheckpoint(folder.Path, stateDict, tieWordEmbeddings: false).Should().BeNull();
        using var saved = SafetensorsFile.Open(folder.File("model.safetensors"));
        saved.Names.Should().Equal("lm_head.weight", "shared.weight");
    }

    [Fact]
    public void A_missing_or_misshaped_tensor_is_named()
    {
        using var file = SafetensorsFile.Open(Fixtures.SetA("chronos-bolt", "model", "model.safetensors"));

        FluentActions.Invoking(() => SafetensorsTorch.ToTensor(file, "shared.weight", [64, 2]))
            .Should().Throw<TensorShapeMismatchException>().WithMessage("*'shared.weight' has shape [2, 64] but [64, 2]*");
        FluentActions.Invoking(() => SafetensorsTorch.ToTensor(file, "encoder.block.7.layer.1.DenseReluDense.wi.weight", [256, 64]))
            .Should().Throw<MissingTensorException>().WithMessage("*encoder.block.7.layer.1.DenseReluDense.wi.weight*");
    }

    [Fact]
    public void Empty_and_scalar_tensors_round_trip()
    {
        var path = folder.File("edge.safetensors");
        SafetensorsWriter.Write(path,
        [
            (new SafetensorsTensorSpec("empty", SafetensorsDType.Float32, [0, 3]), Array.Empty<byte>()),
            (new SafetensorsTensorSpec("scalar", SafetensorsDType.Float32, []), BitConverter.GetBytes(2.5f)),
        ]);

        using var scope = NewDisposeScope();
        var tensors = SafetensorsTorch.ReadAll(path);
        scope.Dispose();

        tensors["empty"].shape.Should().Equal(0, 3);
        tensors["scalar"].item<float>().Should().Be(2.5f, "ReadAll's tensors belong to the caller, not to the scope");
        foreach (var tensor in tensors.Values)
            tensor.Dispose();
    }

    [Fact]
    public void Converting_float32_while_reading_matches_libtorch_bit_for_bit()
    {
        uint[] special =
        [
            0x3F808000, 0x3F818000, 0x3F808001, 0x3F807FFF, 0x7F7FFFFF, 0xFF7FFFFF, 0x7F800000, 0xFF800000, 0x00000001,
            0x00008000, 0x80000000, 0x00000000, 0x7FC00000, 0x7F800001, 0xFFC00001, 0x477FF000, 0x477FE000, 0x33800000,
        ];
        var random = new Random(5);
        var bits = special.Concat(Enumerable.Range(0, 300_000).Select(_ => (uint)random.NextInt64(0, 1L << 32))).ToArray();
        var bytes = bits.SelectMany(BitConverter.GetBytes).ToArray();
        var path = folder.File("f32.safetensors");
        SafetensorsWriter.Write(path, [(new SafetensorsTensorSpec("x", SafetensorsDType.Float32, [bits.Length]), bytes)]);
        using var file = SafetensorsFile.Open(path);
        using var float32 = SafetensorsTorch.ToTensor(file, file.GetInfo("x"), floatingDType: null);

        foreach (var target in new[] { ScalarType.BFloat16, ScalarType.Float16 })
        {
            using var ours = SafetensorsTorch.ToTensor(file, file.GetInfo("x"), target);
            using var libtorch = float32.to_type(target);
            using var oursBack = ours.to_type(ScalarType.Float32);
            using var libtorchBack = libtorch.to_type(ScalarType.Float32);
            var a = oursBack.data<float>().ToArray();
            var b = libtorchBack.data<float>().ToArray();
            for (var i = 0; i < a.Length; i++)
            {
                if (float.IsNaN(b[i]))
                    float.IsNaN(a[i]).Should().BeTrue($"{target} element {i} (0x{bits[i]:X8}) is NaN in libtorch");
                else
                    BitConverter.SingleToUInt32Bits(a[i]).Should().Be(BitConverter.SingleToUInt32Bits(b[i]), $"{target} element {i} (0x{bits[i]:X8})");
            }
        }
    }
}
