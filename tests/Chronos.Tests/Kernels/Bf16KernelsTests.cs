using Forecast.Chronos.Inference;
using Forecast.Chronos.Kernels;
using Forecast.Chronos.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Kernels;

/// <summary>
/// The native bfloat16 products (vdpbf16ps) against libtorch's: the input rounded to bfloat16 times the bfloat16 weight,
/// summed in float32, as torch.autocast computes a linear layer on CPU.
/// </summary>
public class Bf16KernelsTests
{
    [Bf16Theory]
    [InlineData(1, 45, 37)]
    [InlineData(4, 64, 64)]
    [InlineData(13, 70, 33)]
    [InlineData(23, 96, 512)]
    [InlineData(47, 100, 100)]
    [InlineData(528, 512, 2048)]
    public unsafe void Products_equal_float32_sums_of_the_bfloat16_rounded_operands(int rows, int outFeatures, int inFeatures)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var input = randn([rows, inFeatures], generator: generator);
        var weight = randn([outFeatures, inFeatures], generator: generator).to_type(ScalarType.BFloat16);
        var bias = randn([outFeatures], generator: generator);
        var output = empty([rows, outFeatures]);
        var panels = (outFeatures + 31) / 32;
        fixed (byte* x = input.bytes)
        fixed (byte* w = weight.bytes)
        fixed (byte* y = output.bytes)
        fixed (byte* b = bias.bytes)
        {
            // Two disjoint panel ranges, as two threads split a product.
            Bf16Kernels.Linear((float*)x, rows, (ushort*)w, outFeatures, inFeatures, (float*)y, (float*)b, relu: true, 0, panels / 2);
            Bf16Kernels.Linear((float*)x, rows, (ushort*)w, outFeatures, inFeatures, (float*)y, (float*)b, relu: true, panels / 2, panels);
        }

        // The same products in float64 from the rounded operands: only the float32 summation order differs.
        var exact = nn.functional.linear(input.to_type(ScalarType.BFloat16).to_type(ScalarType.Float64), weight.to_type(ScalarType.Float64))
            + bias.to_type(ScalarType.Float64);
        TensorAssert.Close(output.to_type(ScalarType.Float64), exact.relu(), "bf16(x)·bf16(W)ᵀ + b, relu", rtol: 1e-5, atol: 1e-4);
    }

    [Bf16Theory]
    [InlineData(528, 512, 2048)]
    [InlineData(16, 2048, 512)]
    [InlineData(47, 100, 37)]
    public unsafe void Panels_taken_from_a_shared_counter_by_two_threads_give_the_bits_of_one_thread(int rows, int outFeatures, int inFeatures)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(13);
        var input = randn([rows, inFeatures], generator: generator);
        var weight = randn([outFeatures, inFeatures], generator: generator).to_type(ScalarType.BFloat16);
        var bias = randn([outFeatures], generator: generator);
        var alone = empty([rows, outFeatures]);
        var shared = full([rows, outFeatures], float.NaN);
        var panels = (outFeatures + 31) / 32;
        fixed (byte* x = input.bytes)
        fixed (byte* w = weight.bytes)
        fixed (byte* y = alone.bytes)
        fixed (byte* z = shared.bytes)
        fixed (byte* b = bias.bytes)
        {
            Bf16Kernels.Linear((float*)x, rows, (ushort*)w, outFeatures, inFeatures, (float*)y, (float*)b, relu: false, 0, panels);
            var counter = new int[1];
            fixed (int* next = counter)
            {
                var (xa, wa, za, ba, na) = ((nint)x, (nint)w, (nint)z, (nint)b, (nint)next);
                Parallel.For(0, 2, _ => Bf16Kernels.Linear((float*)xa, rows, (ushort*)wa, outFeatures, inFeatures, (float*)za,
                    (float*)ba, relu: false, 0, panels, (int*)na));
            }
        }

        eq(alone, shared).all().item<bool>().Should().BeTrue("every panel is computed once, with the same sums on either thread");
    }

    [Bf16Fact]
    public void The_kernel_backend_runs_bfloat16_linear_layers_as_libtorch_within_its_rounding()
    {
        TorchRuntime.SetThreads(2);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new Generator(12);
        var input = randn([40, 3, 64], generator: generator);
        using var wi = Layer(64, 256, generator);
        using var wo = Layer(256, 64, generator);
        using var kernels = KernelBackend.ForBatch();
        using var dropout = nn.Dropout(0.1);
        dropout.eval();

        var ours = kernels.ReluFeedForward(wi, wo, input, dropout);
        var theirs = LibtorchBackend.Instance.ReluFeedForward(wi, wo, input, dropout);

        ours.dtype.Should().Be(ScalarType.Float32);
        // libtorch keeps the (rows × d_ff) intermediate in bfloat16, the kernels in float32: one bfloat16 rounding apart.
        TensorAssert.Close(ours, theirs, "wo(relu(wi(x))) in bfloat16", rtol: 2e-2, atol: 2e-2);
    }

    [Fact]
    public void Under_auto_bfloat16_weights_take_the_kernels_wherever_the_kernels_take_them()
    {
        InferenceCall.UsesKernels(ChronosBackend.Auto, true, ScalarType.BFloat16, false, bfloat16Taken: true).Should().BeTrue();
        InferenceCall.UsesKernels(ChronosBackend.Auto, true, ScalarType.BFloat16, false, bfloat16Taken: false).Should()
            .BeFalse("a CPU with bfloat16 arithmetic but without the native kernels keeps libtorch's products");
        InferenceCall.UsesKernels(ChronosBackend.Auto, false, ScalarType.BFloat16, false).Should().BeFalse();
        InferenceCall.UsesKernels(ChronosBackend.Libtorch, true, ScalarType.BFloat16, false).Should().BeFalse();
    }

    private static Linear Layer(int inFeatures, int outFeatures, Generator generator)
    {
        var layer = nn.Linear(inFeatures, outFeatures, hasBias: false);
        using (no_grad())
            layer.weight!.copy_(randn([outFeatures, inFeatures], generator: generator) * 0.1);
        layer.to(ScalarType.BFloat16);
        return layer;
    }
}
