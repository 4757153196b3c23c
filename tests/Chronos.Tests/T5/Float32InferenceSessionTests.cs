using Forecast.Chronos.Bolt;
using Forecast.Chronos.Kernels;
using Forecast.Chronos.Loading;
using Forecast.Chronos.T5;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.T5;

/// <summary>The float32 inference session's kernels compute what libtorch computes, and the session's bookkeeping.</summary>
public class Float32InferenceSessionTests
{
    // Below the dot-kernel row limit, at it, and above it (panel kernels), with a partial last panel.
    [Theory]
    [InlineData(1)]
    [InlineData(Float32InferenceSession.DotRowLimit)]
    [InlineData(Float32InferenceSession.DotRowLimit + 7)]
    [InlineData(300)]
    public void Multiply_matches_linear_with_and_without_bias_and_relu(int rows)
    {
        if (!PackedWeight.IsSupported)
            return;
        TorchRuntime.SetThreads(2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(21);
        var input = randn([rows, 3, 80], generator: generator)[.., 1];     // a strided (rows, 80) view
        var weight = randn([70, 80], generator: generator);
        var bias = randn([70], generator: generator);
        using var session = Float32InferenceSession.Begin(ScalarType.Float32)!;

        var plain = session.Multiply(input, weight);
        var activated = session.Multiply(input, weight, bias, relu: true);

        TensorAssert.Close(plain, nn.functional.linear(input, weight), "x·Wᵀ", rtol: 1e-5, atol: 1e-5);
        TensorAssert.Close(activated, nn.functional.linear(input, weight, bias).relu(), "relu(x·Wᵀ + b)", rtol: 1e-5, atol: 1e-5);
    }

    [Theory]
    [InlineData(1, 33)]
    [InlineData(33, 33)]
    [InlineData(5, 17)]
    public void Attend_matches_softmax_of_unscaled_scores_plus_bias(int queryLength, int keyLength)
    {
        if (!PackedWeight.IsSupported)
            return;
        TorchRuntime.SetThreads(2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(8);
        var (batch, heads, size) = (3, 4, 64);
        // Heads split from (B, L, h·d) projections, as T5Attention hands them over (strided views).
        var queries = randn([batch, queryLength, heads * size], generator: generator).view(batch, queryLength, heads, size).transpose(1, 2);
        var keys = randn([batch, keyLength, heads * size], generator: generator).view(batch, keyLength, heads, size).transpose(1, 2);
        var values = randn([batch, keyLength, heads * size], generator: generator).view(batch, keyLength, heads, size).transpose(1, 2);
        var mask = ones(batch, 1, 1, keyLength);
        mask[0, .., .., ..3] = 0;
        var bias = randn([1, heads, queryLength, keyLength], generator: generator) + (1 - mask) * float.MinValue;
        var expected = (queries.matmul(keys.transpose(-1, -2)) + bias).softmax(-1).matmul(values)
            .transpose(1, 2).reshape(batch, queryLength, heads * size);
        using var session = Float32InferenceSession.Begin(ScalarType.Float32)!;

        var actual = session.Attend(queries, keys, values, bias);

        TensorAssert.Close(actual, expected, "attention", rtol: 1e-5, atol: 1e-5);
    }

    [Fact]
    public void A_session_splits_over_libtorchs_threads_restores_them_and_does_not_nest()
    {
        if (!PackedWeight.IsSupported)
            return;
        TorchRuntime.SetThreads(2);
        using (no_grad())
        {
            Float32InferenceSession.Begin(ScalarType.BFloat16).Should().BeNull();
            using (var session = Float32InferenceSession.Begin(ScalarType.Float32))
            {
                session.Should().NotBeNull();
                Float32InferenceSession.Current.Should().BeSameAs(session);
                get_num_threads().Should().Be(1, "libtorch runs single-threaded while the session splits the work");
                Float32InferenceSession.Begin(ScalarType.Float32).Should().BeNull();
                PackedWeightDecoding.Begin(20, ScalarType.Float32).Should().BeNull();
            }
            Float32InferenceSession.Current.Should().BeNull();
            get_num_threads().Should().Be(2);
        }
        using (enable_grad())
            Float32InferenceSession.Begin(ScalarType.Float32).Should().BeNull();
    }

    [Fact]
    public void Bolt_forecasts_with_the_session_equal_the_libtorch_path()
    {
        if (!PackedWeight.IsSupported)
            return;
        TorchRuntime.SetThreads(2);
        using var pipeline = ChronosPretrained.LoadBolt(Fixtures.SetA("chronos-bolt", "model"));
        using var scope = NewDisposeScope();
        var context = randn([5, 200], generator: new Generator(3)).cumsum(1) + 50;
        context[1, ..40] = float.NaN;                                          // a left-padded series

        var withSession = pipeline.Predict(context);
        Tensor plain;
        using (no_grad())
            plain = pipeline.Model.forward(context).QuantilePreds;             // no session outside the pipeline

        TensorAssert.Close(withSession, plain, "Bolt quantiles", rtol: 1e-4, atol: 1e-4);
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

        var through = attention.AttendThroughWeights(normed, encoder, maskBias);
        var projected = attention.Attend(attention.ProjectQueries(normed), attention.ProjectKeys(encoder),
            attention.ProjectValues(encoder), maskBias);

        TensorAssert.Close(through, projected, "cross-attention output", rtol: 1e-5, atol: 1e-5);
    }
}
