using Forecast.Chronos.Inference;
using Forecast.Chronos.Kernels;
using Forecast.Chronos.T5;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Kernels;

/// <summary>
/// The 256-bit row-wise kernels (AVX2 + FMA machines) against the libtorch operations they replace, and bit for bit
/// against the 512-bit kernels (in hardware on AVX-512 machines, emulated by .NET elsewhere).
/// </summary>
public class RowKernels256Tests
{
    [Avx2FmaTheory]
    [InlineData(5, 64)]
    [InlineData(33, 512)]
    [InlineData(3, 37)]
    [InlineData(2, 7)]
    public unsafe void RmsNorm_matches_T5LayerNorm_and_has_the_bits_of_the_512_bit_kernel(int rows, int width)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(6);
        var hidden = randn([rows, width], generator: generator) * 3;
        using var norm = new T5LayerNorm(width, 1e-6);
        var weight = norm.parameters().Single();
        weight.copy_(rand([width], generator: generator) + 0.5);
        var expected = norm.forward(hidden, LibtorchBackend.Instance);
        var narrow = zeros(rows, width);
        var wide = zeros(rows, width);

        fixed (byte* x = hidden.bytes)
        fixed (byte* w = weight.bytes)
        fixed (byte* y = narrow.bytes)
        fixed (byte* y512 = wide.bytes)
        {
            RowKernels256.RmsNorm((float*)x, (float*)w, (float*)y, width, 1e-6f, 0, rows / 2);
            RowKernels256.RmsNorm((float*)x, (float*)w, (float*)y, width, 1e-6f, rows / 2, rows);
            RowKernels512.RmsNorm((float*)x, (float*)w, (float*)y512, width, 1e-6f, 0, rows);
        }

        TensorAssert.Close(narrow, expected, "RMS norm", rtol: 1e-5, atol: 1e-6);
        VectorHardware.Bits(narrow).Should().Equal(VectorHardware.Bits(wide), "the sum of squares keeps the 512-bit kernel's order");
    }

    [Avx2FmaFact]
    public unsafe void AddInPlace_and_BiasRelu_match_libtorch_and_the_512_bit_kernels_with_nan_and_signed_zeros()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(8);
        var target = randn([37], generator: generator);
        var addend = randn([37], generator: generator);
        var bias = randn([37], generator: generator);
        // A NaN and a −0 sum inside a 16-float block, then in the tail.
        foreach (var column in new[] { 3, 35 })
        {
            target[column] = float.NaN;
            (target[column + 1], bias[column + 1]) = (-0f, -0f);
        }
        var sum = target + addend;
        var activated = (target + bias).relu();

        var added = target.clone();
        var biased = target.clone();
        var wideBiased = target.clone();
        var plainBiased = target.clone();
        var widePlainBiased = target.clone();
        fixed (byte* t = added.bytes)
        fixed (byte* a = addend.bytes)
        fixed (byte* r = biased.bytes)
        fixed (byte* r512 = wideBiased.bytes)
        fixed (byte* p = plainBiased.bytes)
        fixed (byte* p512 = widePlainBiased.bytes)
        fixed (byte* b = bias.bytes)
        {
            RowKernels256.AddInPlace((float*)t, (float*)a, 0, 13);
            RowKernels256.AddInPlace((float*)t, (float*)a, 13, 37);
            RowKernels256.BiasRelu((float*)r, 37, (float*)b, relu: true);
            RowKernels512.BiasRelu((float*)r512, 37, (float*)b, relu: true);
            RowKernels256.BiasRelu((float*)p, 37, null, relu: true);
            RowKernels512.BiasRelu((float*)p512, 37, null, relu: true);
        }

        VectorHardware.Bits(added).Should().Equal(VectorHardware.Bits(sum));
        TensorAssert.Close(biased, activated, "relu(x + b)", rtol: 0, atol: 0);
        VectorHardware.Bits(biased).Should().Equal(VectorHardware.Bits(wideBiased), "relu(x + b) as the 512-bit kernel gives it");
        VectorHardware.Bits(plainBiased).Should().Equal(VectorHardware.Bits(widePlainBiased), "relu(x) as the 512-bit kernel gives it");
    }
}
