using Forecast.Chronos.ChronosT5;
using Forecast.Chronos.Kernels;
using Forecast.Chronos.T5;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.T5;

/// <summary>Generation with packed weights and work split over threads computes what the plain libtorch path does.</summary>
public class PackedWeightDecodingTests
{
    // d_kv 16: values packed (less than a panel); d_kv 32: values used in place, as T5-small's 64.
    [Theory]
    [InlineData(16, 4)]
    [InlineData(32, 2)]
    public void Decoder_steps_with_packed_weights_give_the_logits_of_the_libtorch_path(int dKv, int heads)
    {
        if (!PackedWeight.IsSupported)
            return;
        TorchRuntime.SetThreads(2);
        random.manual_seed(5);
        using var model = new ChronosT5Model(new T5Config
        {
            VocabSize = 4096, DModel = 64, DKv = dKv, DFf = 96, NumLayers = 2, NumDecoderLayers = 2, NumHeads = heads,
        });
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = randint(3, 4096, [3, 40], dtype: ScalarType.Int64);
        var mask = ones(3, 40, dtype: ScalarType.Bool);
        mask[0, ..5] = false;

        var plain = DecodeLogits(model, ids, mask, packed: false);
        var packed = DecodeLogits(model, ids, mask, packed: true);

        TensorAssert.Close(packed, plain, "logits of 6 decoder steps", rtol: 1e-5, atol: 1e-5);
    }

    [Fact]
    public void A_session_splits_over_libtorchs_threads_and_restores_them()
    {
        if (!PackedWeight.IsSupported)
            return;
        TorchRuntime.SetThreads(2);
        using var noGrad = no_grad();

        using (var decoding = PackedWeightDecoding.Begin(rows: 20, ScalarType.Float32))
        {
            decoding.Should().NotBeNull();
            PackedWeightDecoding.Current.Should().BeSameAs(decoding);
            decoding!.Parts.Should().Be(2);
            get_num_threads().Should().Be(1, "libtorch runs single-threaded while the session splits the work");
        }

        PackedWeightDecoding.Current.Should().BeNull();
        get_num_threads().Should().Be(2);
    }

    [Fact]
    public void No_session_for_many_rows_bfloat16_autograd_or_inside_another_session()
    {
        TorchRuntime.SetThreads(2);
        using (no_grad())
        {
            PackedWeightDecoding.Begin(PackedWeightDecoding.MaxRows + 1, ScalarType.Float32).Should().BeNull();
            PackedWeightDecoding.Begin(20, ScalarType.BFloat16).Should().BeNull();
            using var outer = PackedWeightDecoding.Begin(20, ScalarType.Float32);
            PackedWeightDecoding.Begin(20, ScalarType.Float32).Should().BeNull();
        }
        using (enable_grad())
            PackedWeightDecoding.Begin(20, ScalarType.Float32).Should().BeNull();
    }

    // 4 samples per series, 6 greedy-free steps fed with fixed tokens, so both paths see the same inputs.
    private static Tensor DecodeLogits(ChronosT5Model model, Tensor ids, Tensor mask, bool packed)
    {
        using var scope = NewDisposeScope();
        const int samples = 4, steps = 6;
        var encoded = model.Encode(ids, mask);
        using var cache = model.Decoder.StartDecoding(encoded, mask, samples, steps);
        using var session = packed ? PackedWeightDecoding.Begin(ids.shape[0] * samples, ScalarType.Float32) : null;
        if (packed)
            session.Should().NotBeNull();
        var logits = new List<Tensor>();
        for (var step = 0; step < steps; step++)
        {
            var tokens = full(ids.shape[0] * samples, 1, 3 + step * 7, dtype: ScalarType.Int64);
            logits.Add(model.Logits(model.Decoder.Step(model.Embed(tokens), cache)));
        }
        return stack(logits).MoveToOuterDisposeScope();
    }
}
