using Forecast.Chronos.Kernels;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Kernels;

/// <summary>
/// The 256-bit attention loops (AVX2 + FMA machines) against libtorch's softmax(q·kᵀ + bias)·v, and bit for bit against
/// the 512-bit loops (in hardware on AVX-512 machines, emulated by .NET elsewhere: slower, the same arithmetic).
/// </summary>
public unsafe class AttentionKernels256Tests
{
    // Sizes below one 16-float block, whole blocks, and blocks with tails shorter and longer than 8.
    [Avx2FmaTheory]
    [InlineData(1, 64)]
    [InlineData(7, 20)]
    [InlineData(64, 64)]
    [InlineData(40, 5)]
    [InlineData(33, 45)]
    [InlineData(9, 64)]            // keys four at a time and one more; one four-block pass of the weighted sum
    [InlineData(4, 128)]
    [InlineData(13, 100)]          // a four-block pass, two 16-float blocks and a tail of four
    public void One_query_matches_libtorch_and_has_the_bits_of_the_512_bit_loop(int length, int size)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(13);
        var query = randn([size], generator: generator);
        var keys = randn([length, size], generator: generator);
        var values = randn([length, size], generator: generator);
        var biasColumns = randn([length, 3], generator: generator);       // the bias is column 1: stride 3
        biasColumns[0, 1] = float.MinValue;                                // a masked position
        var expected = (keys.matmul(query) + biasColumns[.., 1]).softmax(0).matmul(values);

        var narrow = zeros(size);
        var wide = zeros(size);
        var scores = new float[length];
        fixed (byte* q = query.bytes)
        fixed (byte* k = keys.bytes)
        fixed (byte* v = values.bytes)
        fixed (byte* b = biasColumns.bytes)
        fixed (byte* c256 = narrow.bytes)
        fixed (byte* c512 = wide.bytes)
        fixed (float* s = scores)
        {
            AttentionKernels256.OneQuery((float*)q, (float*)k, size, (float*)v, size, (float*)b + 1, 3, length, size, (float*)c256, s);
            AttentionKernels512.OneQuery((float*)q, (float*)k, size, (float*)v, size, (float*)b + 1, 3, length, size, (float*)c512, s);
        }

        TensorAssert.Close(narrow, expected, "context", rtol: 1e-5, atol: 1e-5);
        VectorHardware.Bits(narrow).Should().Equal(VectorHardware.Bits(wide), "the 256-bit loop keeps the 512-bit loop's order of operations");
    }

    [Avx2FmaTheory]
    [InlineData(5)]
    [InlineData(37)]
    [InlineData(64)]
    [InlineData(100)]
    public void Softmax_matches_libtorch_gives_masked_entries_zero_and_has_the_bits_of_the_512_bit_loop(int count)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var values = randn([count], generator: new Generator(3)) * 10;
        values[count / 2] = float.MinValue;
        values[count - 1] = float.NegativeInfinity;
        var expected = values.softmax(0);

        var narrow = values.clone();
        var wide = values.clone();
        fixed (byte* n = narrow.bytes)
        fixed (byte* w = wide.bytes)
        {
            AttentionKernels256.Softmax((float*)n, count);
            AttentionKernels512.Softmax((float*)w, count);
        }

        TensorAssert.Close(narrow, expected, "softmax", rtol: 1e-5, atol: 1e-6);
        narrow[count / 2].item<float>().Should().Be(0f);
        narrow[count - 1].item<float>().Should().Be(0f);
        VectorHardware.Bits(narrow).Should().Equal(VectorHardware.Bits(wide), "the 256-bit loop keeps the 512-bit loop's order of operations");
    }

    [Avx2FmaTheory]
    [InlineData(1)]
    [InlineData(3)]
    public void AddBias_matches_libtorch_for_contiguous_and_strided_bias(int stride)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        var values = randn([37], generator: generator);
        var biasColumns = randn([37, stride], generator: generator);
        var expected = values + biasColumns[.., 0];

        var actual = values.clone();
        fixed (byte* a = actual.bytes)
        fixed (byte* b = biasColumns.bytes)
            AttentionKernels256.AddBias((float*)a, (float*)b, stride, 37);

        VectorHardware.Bits(actual).Should().Equal(VectorHardware.Bits(expected));
    }
}
