using Forecast.Chronos.Kernels;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Kernels;

/// <summary>The in-place dot-product kernels against libtorch's linear (AVX-512, or AVX2 + FMA through their 256-bit versions; elsewhere they are never used).</summary>
public class DotKernelsTests
{
    // Rows and features that are and are not multiples of four; k with and without a tail beyond the 16-float vectors.
    [KernelsTheory]
    [InlineData(1, 1, 16)]
    [InlineData(1, 7, 45)]
    [InlineData(3, 37, 512)]
    [InlineData(4, 4, 64)]
    [InlineData(16, 64, 512)]
    [InlineData(33, 45, 77)]
    public unsafe void Multiply_matches_linear_with_bias_and_relu(int rows, int outFeatures, int inFeatures)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var input = randn([rows, inFeatures], generator: generator);
        var weight = randn([outFeatures, inFeatures], generator: generator);
        var bias = randn([outFeatures], generator: generator);
        var plain = zeros(rows, outFeatures);
        var activated = zeros(rows, outFeatures);

        fixed (byte* x = input.bytes)
        fixed (byte* w = weight.bytes)
        fixed (byte* b = bias.bytes)
        fixed (byte* y = plain.bytes)
        fixed (byte* z = activated.bytes)
        {
            // Two feature ranges, as two threads split them (the first ends on a multiple of four).
            var split = Math.Min(outFeatures, (outFeatures + 3) / 4 / 2 * 4);
            DotKernels.Multiply((float*)x, rows, inFeatures, (float*)w, 0, split, (float*)y, outFeatures, null, false);
            DotKernels.Multiply((float*)x, rows, inFeatures, (float*)w, split, outFeatures, (float*)y, outFeatures, null, false);
            DotKernels.Multiply((float*)x, rows, inFeatures, (float*)w, 0, outFeatures, (float*)z, outFeatures, (float*)b, true);
        }

        TensorAssert.Close(plain, nn.functional.linear(input, weight), "x·Wᵀ", rtol: 1e-5, atol: 1e-5);
        TensorAssert.Close(activated, nn.functional.linear(input, weight, bias).relu(), "relu(x·Wᵀ + b)", rtol: 1e-5, atol: 1e-5);
    }
}
