using Forecast.Chronos.Inference;
using Forecast.Chronos.Kernels;
using Forecast.Chronos.T5;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Kernels;

/// <summary>Row-wise kernels against the libtorch operations they replace.</summary>
public class RowKernelsTests
{
    [KernelsTheory]
    [InlineData(5, 64)]
    [InlineData(33, 512)]
    [InlineData(3, 37)]
    public unsafe void RmsNorm_matches_T5LayerNorm(int rows, int width)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(2);
        var hidden = randn([rows, width], generator: generator) * 3;
        using var norm = new T5LayerNorm(width, 1e-6);
        var weight = norm.parameters().Single();
        weight.copy_(rand([width], generator: generator) + 0.5);
        var expected = norm.forward(hidden, LibtorchBackend.Instance);
        var actual = zeros(rows, width);

        fixed (byte* x = hidden.bytes)
        fixed (byte* w = weight.bytes)
        fixed (byte* y = actual.bytes)
        {
            RowKernels.RmsNorm((float*)x, (float*)w, (float*)y, width, 1e-6f, 0, rows / 2);
            RowKernels.RmsNorm((float*)x, (float*)w, (float*)y, width, 1e-6f, rows / 2, rows);
        }

        TensorAssert.Close(actual, expected, "RMS norm", rtol: 1e-5, atol: 1e-6);
    }

    [KernelsFact]
    public unsafe void AddInPlace_and_BiasRelu_match_libtorch()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(4);
        var target = randn([37], generator: generator);
        var addend = randn([37], generator: generator);
        var bias = randn([37], generator: generator);
        var sum = target + addend;
        var activated = (target + bias).relu();

        var added = target.clone();
        var biased = target.clone();
        fixed (byte* t = added.bytes)
        fixed (byte* a = addend.bytes)
        fixed (byte* r = biased.bytes)
        fixed (byte* b = bias.bytes)
        {
            RowKernels.AddInPlace((float*)t, (float*)a, 0, 16);
            RowKernels.AddInPlace((float*)t, (float*)a, 16, 37);
            RowKernels.BiasRelu((float*)r, 37, (float*)b, relu: true);
        }

        added.eq(sum).all().item<bool>().Should().BeTrue();
        biased.eq(activated).all().item<bool>().Should().BeTrue();
    }
}
