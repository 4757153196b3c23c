using FluentAssertions;
using Forecast.Chronos.Bolt;
using Forecast.Chronos.Inference;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Inference;

/// <summary>Every operation of the kernel backend computes what libtorch computes, and the backend's bookkeeping.</summary>
public class KernelBackendTests
{
    // Below the dot-kernel row limit, at it, and above it (panel kernels), with a partial last panel.
    [KernelsTheory]
    [InlineData(1)]
    [InlineData(KernelBackend.DotRowLimit)]
    [InlineData(KernelBackend.DotRowLimit + 7)]
    [InlineData(300)]
    public void Linear_matches_libtorch_with_and_without_bias_and_relu(int rows)
    {
        TorchRuntime.SetThreads(2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(21);
        var input = randn([rows, 3, 80], generator: generator)[.., 1];     // a strided (rows, 80) view
        using var withBias = Layer(80, 70, bias: true, generator);
        using var plain = Layer(80, 70, bias: false, generator);
        using var kernels = KernelBackend.ForBatch();

        TensorAssert.Close(kernels.Linear(plain, input), plain.forward(input), "x·Wᵀ", rtol: 1e-5, atol: 1e-5);
        TensorAssert.Close(kernels.Linear(withBias, input, relu: true), withBias.forward(input).relu(), "relu(x·Wᵀ + b)", rtol: 1e-5, atol: 1e-5);
        TensorAssert.Close(kernels.Product(input, plain.weight!), input.matmul(plain.weight!.t()), "x·Wᵀ (bare weight)", rtol: 1e-5, atol: 1e-5);
    }

    [KernelsTheory]
    [InlineData(1, 33, 64)]
    [InlineData(33, 33, 64)]      // queries through the panel kernels, a partial last panel of keys
    [InlineData(5, 17, 64)]
    [InlineData(133, 133, 64)]    // Chronos-2's 2048-step context: 128 patches, REG and 4 output patches
    [InlineData(12, 70, 48)]      // values not filling whole panels: packed, not used in place
    public void Attend_matches_softmax_of_unscaled_scores_plus_bias(int queryLength, int keyLength, int size)
    {
        TorchRuntime.SetThreads(2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(8);
        var (batch, heads) = (3, 4);
        // Heads split from (B, L, h·d) projections, as the attention modules hand them over (strided views).
        var queries = randn([batch, queryLength, heads * size], generator: generator).view(batch, queryLength, heads, size).transpose(1, 2);
        var keys = randn([batch, keyLength, heads * size], generator: generator).view(batch, keyLength, heads, size).transpose(1, 2);
        var values = randn([batch, keyLength, heads * size], generator: generator).view(batch, keyLength, heads, size).transpose(1, 2);
        var mask = ones(batch, 1, 1, keyLength);
        mask[0, .., .., ..3] = 0;
        var bias = randn([1, heads, queryLength, keyLength], generator: generator) + (1 - mask) * float.MinValue;
        var expected = (queries.matmul(keys.transpose(-1, -2)) + bias).softmax(-1).matmul(values)
            .transpose(1, 2).reshape(batch, queryLength, heads * size);
        using var dropout = nn.Dropout(0.1);
        dropout.eval();
        using var kernels = KernelBackend.ForBatch();

        TensorAssert.Close(kernels.Attend(queries, keys, values, bias, dropout), expected, "attention", rtol: 1e-5, atol: 1e-5);
        TensorAssert.Close(LibtorchBackend.Instance.Attend(queries, keys, values, bias, dropout), expected, "libtorch attention", rtol: 1e-5, atol: 1e-5);
    }

    [KernelsFact]
    public void Feed_forward_norm_and_residual_match_libtorch()
    {
        TorchRuntime.SetThreads(2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(9);
        var hidden = randn([7, 33, 64], generator: generator);
        using var wi = Layer(64, 96, bias: false, generator);
        using var wo = Layer(96, 64, bias: false, generator);
        using var dropout = nn.Dropout(0.1);
        dropout.eval();
        var weight = rand([64], generator: generator) + 0.5;
        var libtorch = LibtorchBackend.Instance;
        using var kernels = KernelBackend.ForBatch();

        TensorAssert.Close(kernels.ReluFeedForward(wi, wo, hidden, dropout), libtorch.ReluFeedForward(wi, wo, hidden, dropout),
            "wo(relu(wi(x)))", rtol: 1e-5, atol: 1e-5);
        TensorAssert.Close(kernels.RmsNorm(hidden, weight, 1e-6), libtorch.RmsNorm(hidden, weight, 1e-6), "RMS norm", rtol: 1e-5, atol: 1e-6);
        var expected = hidden + hidden * 2;
        TensorAssert.Close(kernels.AddResidual(hidden, hidden * 2), expected, "residual sum", rtol: 0, atol: 0);
    }

    // Calls that reuse freed buffers keep one buffer for the feed-forward's inner activations: it grows for more rows,
    // serves fewer rows from its start, and the results are the bits of a new buffer per layer.
    [KernelsFact]
    public void Feed_forward_through_the_kept_buffer_gives_the_bits_of_a_new_buffer()
    {
        TorchRuntime.SetThreads(2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(17);
        using var wi = Layer(64, 96, bias: false, generator);
        using var wo = Layer(96, 64, bias: false, generator);
        using var dropout = nn.Dropout(0.1);
        dropout.eval();
        using var kept = KernelBackend.ForBatch(reusesFreedBuffers: true);
        using var fresh = KernelBackend.ForBatch();

        foreach (var rows in new[] { 33, 133, 5, 133, 60 })
        {
            var hidden = randn([2, rows, 64], generator: generator);
            var expected = fresh.ReluFeedForward(wi, wo, hidden, dropout);
            kept.ReluFeedForward(wi, wo, hidden, dropout).data<float>().ToArray()
                .Should().Equal(expected.data<float>().ToArray(), $"{rows} rows");
        }
    }

    [KernelsFact]
    public void Linear_chain_through_the_composed_weight_matches_two_products()
    {
        TorchRuntime.SetThreads(2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(12);
        var input = randn([300, 64], generator: generator);
        using var first = Layer(64, 96, bias: false, generator);
        using var second = Layer(96, 64, bias: false, generator);
        using var withBias = Layer(96, 64, bias: true, generator);
        var expected = second.forward(first.forward(input));
        using var composing = KernelBackend.ForBatch(composeChains: true);
        using var plain = KernelBackend.ForBatch();

        TensorAssert.Close(composing.LinearChain(first, second, input), expected, "x·(W₂·W₁)ᵀ", rtol: 1e-4, atol: 1e-4);
        TensorAssert.Close(composing.LinearChain(first, second, input[..7]), expected[..7], "the kept composed weight", rtol: 1e-4, atol: 1e-4);
        TensorAssert.Close(composing.LinearChain(first, withBias, input), withBias.forward(first.forward(input)), "a bias: two products",
            rtol: 1e-5, atol: 1e-5);
        TensorAssert.Close(plain.LinearChain(first, second, input), expected, "two products", rtol: 1e-5, atol: 1e-5);
        TensorAssert.Close(LibtorchBackend.Instance.LinearChain(first, second, input), expected, "libtorch", rtol: 0, atol: 0);
        KernelBackend.ComposesChains(4 * 768, 768).Should().BeTrue();
        KernelBackend.ComposesChains(133, 768).Should().BeFalse("one 2048-step series does not pay for composing");
    }

    [KernelsFact]
    public void A_kept_composed_weight_is_made_for_calls_of_enough_rows_and_follows_the_weights()
    {
        TorchRuntime.SetThreads(2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(13);
        using var first = Layer(64, 96, bias: false, generator);
        using var second = Layer(96, 64, bias: false, generator);
        using var kept = new ComposedWeight();
        var few = randn([(int)ComposedWeight.RowsToCompose(64) - 1, 64], generator: generator);
        var enough = randn([(int)ComposedWeight.RowsToCompose(64), 64], generator: generator);
        using var kernels = KernelBackend.ForBatch();

        TensorAssert.Close(kernels.LinearChain(first, second, few, kept), second.forward(first.forward(few)), "two products", rtol: 1e-5, atol: 1e-5);
        kept.IsKept.Should().Be(false, "a call of fewer rows does not compose");
        TensorAssert.Close(kernels.LinearChain(first, second, enough, kept), second.forward(first.forward(enough)), "x·(W₂·W₁)ᵀ", rtol: 1e-4, atol: 1e-4);
        kept.IsKept.Should().Be(TensorVersion.IsAvailable);
        TensorAssert.Close(kernels.LinearChain(first, second, few, kept), second.forward(first.forward(few)), "the kept weight", rtol: 1e-4, atol: 1e-4);
        second.weight!.mul_(-2);
        TensorAssert.Close(kernels.LinearChain(first, second, enough, kept), second.forward(first.forward(enough)), "composed again after an in-place change",
            rtol: 1e-4, atol: 1e-4);
        TensorAssert.Close(kernels.LinearChain(first, second, few, kept), second.forward(first.forward(few)), "the new kept weight",
            rtol: 1e-4, atol: 1e-4);
        kept.Invalidate();
        kept.IsKept.Should().BeFalse();
    }

    [KernelsFact]
    public void Bfloat16_weights_and_dropout_in_training_are_handed_to_libtorch()
    {
        TorchRuntime.SetThreads(2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(10);
        var input = randn([20, 64], generator: generator);
        using var layer = Layer(64, 32, bias: true, generator);
        layer.to(ScalarType.BFloat16);
        using var kernels = KernelBackend.ForBatch();

        var result = kernels.Linear(layer, input, relu: true);

        result.dtype.Should().Be(ScalarType.Float32);
        TensorAssert.Close(result, LibtorchBackend.Instance.Linear(layer, input, relu: true), "bfloat16 product", rtol: 0, atol: 0);
        using var dropout = nn.Dropout(0.5);
        var q = randn([1, 2, 5, 16], generator: generator);
        dropout.eval();
        var evaluated = kernels.Attend(q, q, q, null, dropout);
        dropout.train();
        var trained = kernels.Attend(q, q, q, null, dropout);
        trained.allclose(evaluated).Should().BeFalse("dropout in training mode drops attention weights, as libtorch does");
    }

    // Without the native bfloat16 kernels (AVX2) a bias-free bfloat16 layer runs the float32 panel kernels on its weights
    // widened as they are packed, at every row count (the dot kernels read float32 weights in place, so few rows take
    // the panels too): the float32 product of the same weights, as libtorch computes it on the widened weight.
    [WidenedBf16Theory]
    [InlineData(1)]
    [InlineData(20)]
    [InlineData(131)]
    public void Bfloat16_weights_without_native_kernels_multiply_as_float32_products_of_the_widened_weights(int rows)
    {
        TorchRuntime.SetThreads(2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(12);
        var input = randn([rows, 75], generator: generator);
        using var layer = Layer(75, 70, bias: false, generator);     // 70: a partial last panel; 75: a k tail past the 8 × 8 blocks
        layer.to(ScalarType.BFloat16);
        var widened = layer.weight!.to_type(ScalarType.Float32);
        var expected = input.matmul(widened.t()).relu();
        using var batch = KernelBackend.ForBatch();
        using var generation = KernelBackend.ForGeneration(null);      // weights packed whole, widened as they are packed

        foreach (var (kernels, call) in new[] { (batch, "batch"), (generation, "generation") })
        {
            var result = kernels.Linear(layer, input, relu: true);
            result.dtype.Should().Be(ScalarType.Float32);
            TensorAssert.Close(result, expected, $"relu(x·W'ᵀ), W' the widened bfloat16 weight ({call} call)", rtol: 1e-5, atol: 1e-5);
        }
    }

    // Chronos-2's group attention o(v(x)) with bfloat16 weights where they are widened: one product through the float32
    // composition of the widened weights, kept between calls as for float32 weights.
    [WidenedBf16Theory]
    [InlineData(20)]
    [InlineData(140)]
    public void A_bfloat16_linear_chain_multiplies_by_the_composition_of_the_widened_weights(int rows)
    {
        TorchRuntime.SetThreads(2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(14);
        using var first = Layer(64, 96, bias: false, generator);
        using var second = Layer(96, 64, bias: false, generator);
        first.to(ScalarType.BFloat16);
        second.to(ScalarType.BFloat16);
        var (w1, w2) = (first.weight!.to_type(ScalarType.Float32), second.weight!.to_type(ScalarType.Float32));
        var input = randn([rows, 64], generator: generator);
        using var kept = new ComposedWeight();
        using var kernels = KernelBackend.ForBatch();

        var result = kernels.LinearChain(first, second, input, kept);

        result.dtype.Should().Be(ScalarType.Float32);
        TensorAssert.Close(result, input.matmul(w1.t()).matmul(w2.t()), "x·W₁'ᵀ·W₂'ᵀ, W' the widened weights", rtol: 1e-4, atol: 1e-4);
        kept.IsKept.Should().Be(TensorVersion.IsAvailable && rows >= ComposedWeight.RowsToCompose(64));
    }

    // Panels and their row blocks go to whichever thread is free (blocks of `PanelRowSchedule.BlockRows` rows — four passes of the widest panel kernel — the last one longer): the same
    // chains of FMAs whichever thread computes an output, so the result has the same bits as on one thread.
    [KernelsTheory]
    [InlineData(49)]
    [InlineData(131)]
    [InlineData(528)]
    public void Products_have_the_same_bits_however_the_threads_share_panels_and_rows(int rows)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(5);
        var input = randn([rows, 96], generator: generator);
        using var layer = Layer(96, 200, bias: true, generator);      // 7 panels, the last one partial
        TorchRuntime.SetThreads(1);
        Tensor single;
        using (var kernels = KernelBackend.ForBatch())
            single = kernels.Linear(layer, input, relu: true);
        TorchRuntime.SetThreads(2);
        using var shared = KernelBackend.ForBatch();
        for (var round = 0; round < 10; round++)
            shared.Linear(layer, input, relu: true).eq(single).all().item<bool>().Should().BeTrue($"round {round} matches one thread bit for bit");
    }

    [KernelsFact]
    public void A_kernel_backend_splits_over_libtorchs_threads_and_restores_them()
    {
        TorchRuntime.SetThreads(2);
        using (no_grad())
        {
            using (var kernels = KernelBackend.ForBatch())
            {
                kernels.Parts.Should().Be(2);
                get_num_threads().Should().Be(1, "libtorch runs single-threaded while the backend splits the work");
            }
            get_num_threads().Should().Be(2);
        }
    }

    [KernelsFact]
    public void Bolt_forecasts_with_the_kernels_equal_the_libtorch_path()
    {
        TorchRuntime.SetThreads(2);
        using var pipeline = ChronosPretrained.LoadBolt(Fixtures.SetA("chronos-bolt", "model"));
        using var scope = NewDisposeScope();
        var context = randn([5, 200], generator: new Generator(3)).cumsum(1) + 50;
        context[1, ..40] = float.NaN;                                          // a left-padded series

        pipeline.Inference = Backends.Options(ChronosBackend.Kernels);
        var kernels = pipeline.Predict(context);
        pipeline.Inference = Backends.Options(ChronosBackend.Libtorch);
        var libtorch = pipeline.Predict(context);

        TensorAssert.Close(kernels, libtorch, "Bolt quantiles", rtol: 1e-4, atol: 1e-4);
    }

    private static Linear Layer(int inFeatures, int outFeatures, bool bias, Generator generator)
    {
        var layer = nn.Linear(inFeatures, outFeatures, hasBias: bias);
        using var noGrad = no_grad();
        layer.weight!.copy_(randn([outFeatures, inFeatures], generator: generator));
        if (bias)
            layer.bias!.copy_(randn([outFeatures], generator: generator));
        layer.eval();
        return layer;
    }
}
