using FluentAssertions;
using Forecast.Chronos.ChronosT5;
using Forecast.Chronos.Inference;
using Forecast.Chronos.T5;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Inference;

/// <summary>
/// Generation's decoder steps with weights packed once per call (<see cref="KernelBackend.ForGeneration"/>) compute what
/// libtorch computes; Bolt's cross-attention through the weights equals attention over projected encoder states.
/// </summary>
public class GenerationBackendTests
{
    // d_kv 16: values packed (less than a panel); d_kv 32: values used in place, as T5-small's 64.
    [KernelsTheory]
    [InlineData(16, 4)]
    [InlineData(32, 2)]
    public void Decoder_steps_with_packed_weights_give_the_logits_of_the_libtorch_path(int dKv, int heads)
    {
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

        var plain = DecodeLogits(model, ids, mask, LibtorchBackend.Instance);
        using var arena = new Forecast.Chronos.Kernels.PanelArena();
        using var packed = KernelBackend.ForGeneration(arena);
        var withPackedWeights = DecodeLogits(model, ids, mask, packed);

        TensorAssert.Close(withPackedWeights, plain, "logits of 6 decoder steps", rtol: 1e-5, atol: 1e-5);
    }

    // 7 series × 20 samples = 140 decoder rows, above InferenceCall.GenerationRowLimit: the kernels generate them in
    // groups of series (6 + 1); greedy draws (top-k 1) make the tokens comparable with libtorch's single batch.
    [KernelsFact]
    public void Batches_above_the_row_limit_are_generated_in_groups_with_the_tokens_of_one_batch()
    {
        TorchRuntime.SetThreads(2);
        random.manual_seed(8);
        var model = new ChronosT5Model(new T5Config
        {
            VocabSize = 4096, DModel = 64, DKv = 16, DFf = 96, NumLayers = 2, NumDecoderLayers = 2, NumHeads = 4,
        });
        model.eval();
        using var pipeline = new ChronosT5Pipeline(model, new ChronosConfig());
        using var scope = NewDisposeScope();
        var ids = randint(3, 4096, [7, 30], dtype: ScalarType.Int64);
        var mask = ones(7, 30, dtype: ScalarType.Bool);
        mask[2, ..4] = false;
        const int samples = 20, steps = 5;
        (samples * 7).Should().BeGreaterThan((int)InferenceCall.GenerationRowLimit);
        var greedy = new TokenSampler(eosTokenId: 1, temperature: 1.0, topK: 1, topP: 1.0);

        pipeline.Inference = new ChronosInferenceOptions { Backend = ChronosBackend.Libtorch };
        var oneBatch = pipeline.GenerateTokens(ids, mask, steps, samples, greedy);
        pipeline.Inference = new ChronosInferenceOptions { Backend = ChronosBackend.Kernels };
        var grouped = pipeline.GenerateTokens(ids, mask, steps, samples, greedy);

        grouped.shape.Should().Equal(7, samples, steps);
        grouped.eq(oneBatch).all().item<bool>().Should().BeTrue("greedy tokens of grouped generation equal one batch's");
    }

    [Fact]
    public void Cross_attention_through_the_weights_equals_attention_over_projected_encoder_states()
    {
        TorchRuntime.EnsureLoaded();
        random.manual_seed(4);
        using var attention = new T5Attention(new T5Config { DModel = 48, DKv = 16, NumHeads = 3, DFf = 64 }, hasRelativeAttentionBias: false);
        attention.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(6);
        var normed = randn([5, 1, 48], generator: generator);
        var encoder = randn([5, 33, 48], generator: generator);
        var mask = ones(5, 33);
        mask[2, ..10] = 0;
        var maskBias = T5Stack.ExtendedMask(mask, ScalarType.Float32);
        var backend = LibtorchBackend.Instance;

        var through = attention.AttendThroughWeights(normed, encoder, maskBias, backend);
        var projected = attention.Attend(attention.ProjectQueries(normed, backend), attention.ProjectKeys(encoder, backend),
            attention.ProjectValues(encoder, backend), maskBias, backend);

        TensorAssert.Close(through, projected, "cross-attention output", rtol: 1e-5, atol: 1e-5);
    }

    // 4 samples per series, 6 steps fed with fixed tokens, so both paths see the same inputs.
    private static Tensor DecodeLogits(ChronosT5Model model, Tensor ids, Tensor mask, IInferenceBackend decoderBackend)
    {
        using var scope = NewDisposeScope();
        const int samples = 4, steps = 6;
        var encoded = model.Encode(ids, mask);
        using var cache = model.Decoder.StartDecoding(encoded, mask, samples, steps, LibtorchBackend.Instance);
        var logits = new List<Tensor>();
        for (var step = 0; step < steps; step++)
        {
            var tokens = full(ids.shape[0] * samples, 1, 3 + step * 7, dtype: ScalarType.Int64);
            logits.Add(model.Logits(model.Decoder.Step(model.Embed(tokens), cache, decoderBackend), decoderBackend));
        }
        return stack(logits).MoveToOuterDisposeScope();
    }
}
