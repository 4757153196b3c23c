using Forecast.Chronos.Kernels;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Kernels;

/// <summary>
/// The 256-bit dot-product kernels (AVX2 + FMA machines) against libtorch's linear, and bit for bit against the 512-bit
/// kernels (in hardware on AVX-512 machines, emulated by .NET elsewhere: slower, the same arithmetic).
/// </summary>
public class DotKernels256Tests
{
    // Rows and features that are and are not multiples of four; k below one 16-float block, whole blocks, and blocks
    // with tails shorter and longer than 8.
    [Avx2FmaTheory]
    [InlineData(1, 1, 16)]
    [InlineData(1, 7, 45)]
    [InlineData(3, 37, 512)]
    [InlineData(4, 4, 64)]
    [InlineData(5, 9, 7)]
    [InlineData(16, 64, 512)]
    [InlineData(33, 45, 77)]
    // Inputs in chunks (k past 1024 whole inputs: Bolt-base's wo has 3072): with and without a tail, an odd last row,
    // more rows than one slab of sums (48), and one row (a single pass, no chunks).
    [InlineData(33, 8, 3072)]
    [InlineData(6, 12, 2100)]
    [InlineData(3, 5, 1100)]
    [InlineData(50, 8, 1040)]
    [InlineData(1, 4, 3072)]
    public unsafe void Multiply_matches_linear_and_has_the_bits_of_the_512_bit_kernels(int rows, int outFeatures, int inFeatures)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(17);
        var input = randn([rows, inFeatures], generator: generator);
        var weight = randn([outFeatures, inFeatures], generator: generator);
        var bias = randn([outFeatures], generator: generator);
        var plain = zeros(rows, outFeatures);
        var activated = zeros(rows, outFeatures);
        var widePlain = zeros(rows, outFeatures);
        var wideActivated = zeros(rows, outFeatures);

        fixed (byte* x = input.bytes)
        fixed (byte* w = weight.bytes)
        fixed (byte* b = bias.bytes)
        fixed (byte* y = plain.bytes)
        fixed (byte* z = activated.bytes)
        fixed (byte* y512 = widePlain.bytes)
        fixed (byte* z512 = wideActivated.bytes)
        {
            // Two feature ranges, as two threads split them (the first ends on a multiple of four).
            var split = Math.Min(outFeatures, (outFeatures + 3) / 4 / 2 * 4);
            DotKernels.Multiply<DotKernels256>((float*)x, rows, inFeatures, (float*)w, 0, split, (float*)y, outFeatures, null, false);
            DotKernels.Multiply<DotKernels256>((float*)x, rows, inFeatures, (float*)w, split, outFeatures, (float*)y, outFeatures, null, false);
            DotKernels.Multiply<DotKernels256>((float*)x, rows, inFeatures, (float*)w, 0, outFeatures, (float*)z, outFeatures, (float*)b, true);
            DotKernels.Multiply<DotKernels512>((float*)x, rows, inFeatures, (float*)w, 0, outFeatures, (float*)y512, outFeatures, null, false);
            DotKernels.Multiply<DotKernels512>((float*)x, rows, inFeatures, (float*)w, 0, outFeatures, (float*)z512, outFeatures, (float*)b, true);
        }

        TensorAssert.Close(plain, nn.functional.linear(input, weight), "x·Wᵀ", rtol: 1e-5, atol: 1e-5);
        TensorAssert.Close(activated, nn.functional.linear(input, weight, bias).relu(), "relu(x·Wᵀ + b)", rtol: 1e-5, atol: 1e-5);
        VectorHardware.Bits(plain).Should().Equal(VectorHardware.Bits(widePlain), "x·Wᵀ keeps the 512-bit kernels' order of operations");
        VectorHardware.Bits(activated).Should().Equal(VectorHardware.Bits(wideActivated), "relu(x·Wᵀ + b) keeps the 512-bit kernels' order");
    }
}
