using Forecast.Chronos.Kernels;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Kernels;

/// <summary>The attention loops against libtorch's softmax(q·kᵀ + bias)·v (AVX-512, or AVX2 + FMA through their 256-bit versions: where they are used).</summary>
public unsafe class AttentionKernelsTests
{
    [KernelsTheory]
    [InlineData(1, 64)]
    [InlineData(7, 20)]
    [InlineData(64, 64)]
    [InlineData(40, 5)]
    public void One_query_matches_libtorch_with_a_strided_bias(int length, int size)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var query = randn([size], generator: generator);
        var keys = randn([length, size], generator: generator);
        var values = randn([length, size], generator: generator);
        var biasColumns = randn([length, 3], generator: generator);       // the bias is column 1: stride 3
        biasColumns[0, 1] = float.MinValue;                                // a masked position
        var expected = (keys.matmul(query) + biasColumns[.., 1]).softmax(0).matmul(values);

        var context = zeros(size);
        var scores = new float[length];
        fixed (byte* q = query.bytes)
        fixed (byte* k = keys.bytes)
        fixed (byte* v = values.bytes)
        fixed (byte* b = biasColumns.bytes)
        fixed (byte* c = context.bytes)
        fixed (float* s = scores)
            AttentionKernels.OneQuery((float*)q, (float*)k, size, (float*)v, size, (float*)b + 1, 3, length, size, (float*)c, s);

        TensorAssert.Close(context, expected, "context", rtol: 1e-5, atol: 1e-5);
    }

    [KernelsFact]
    public void Softmax_matches_libtorch_and_gives_masked_entries_zero()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var values = randn([37], generator: new Generator(2)) * 10;
        values[5] = float.MinValue;
        var expected = values.softmax(0);

        var actual = values.clone();
        fixed (byte* data = actual.bytes)
            AttentionKernels.Softmax((float*)data, 37);

        TensorAssert.Close(actual, expected, "softmax", rtol: 1e-5, atol: 1e-6);
        actual[5].item<float>().Should().Be(0f);
    }
}
