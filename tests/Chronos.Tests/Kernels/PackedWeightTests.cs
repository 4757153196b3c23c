using Forecast.Chronos.Kernels;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Kernels;

/// <summary>The packed-weight product against libtorch's linear (AVX-512 or AVX2 + FMA, whichever family this CPU runs; elsewhere they are never used).</summary>
public class PackedWeightTests
{
    [KernelsTheory]
    [InlineData(1, 45, 37)]
    [InlineData(3, 45, 37)]
    [InlineData(4, 64, 64)]
    [InlineData(9, 70, 16)]
    [InlineData(10, 32, 512)]
    [InlineData(20, 2048, 512)]
    [InlineData(23, 96, 33)]
    [InlineData(27, 64, 40)]      // seven rows past the blocks of ten: one more block of ten ending at the last row
    [InlineData(133, 45, 64)]     // three past: a block of four ending at the last row
    public void Multiply_matches_libtorch_linear_for_any_row_count_and_a_partial_last_panel(int rows, int outFeatures, int inFeatures)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var input = randn([rows, inFeatures], generator: generator);
        var weight = randn([outFeatures, inFeatures], generator: generator);
        using var arena = new PanelArena();
        var packed = new PackedWeight(weight, arena);
        packed.Pack(0, packed.PanelCount);

        var output = Multiply(packed, input, 0, packed.PanelCount);

        packed.PanelCount.Should().Be((outFeatures + 31) / 32);
        TensorAssert.Close(output, nn.functional.linear(input, weight), "x·Wᵀ", rtol: 1e-5, atol: 1e-5);
    }

    [KernelsFact]
    public void Panels_computed_separately_equal_the_whole_product_bit_for_bit()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(3);
        var input = randn([20, 64], generator: generator);
        using var arena = new PanelArena();
        var packed = new PackedWeight(randn([100, 64], generator: generator), arena);
        packed.Pack(2, packed.PanelCount);                      // packed in two ranges, as two threads do
        packed.Pack(0, 2);

        var whole = Multiply(packed, input, 0, packed.PanelCount);
        var first = Multiply(packed, input, 0, 2);
        var rest = Multiply(packed, input, 2, packed.PanelCount);

        whole[.., ..64].eq(first[.., ..64]).all().item<bool>().Should().BeTrue();
        whole[.., 64..].eq(rest[.., 64..]).all().item<bool>().Should().BeTrue();
    }

    [KernelsFact]
    public unsafe void In_place_panels_read_a_strided_transposed_matrix_without_copying()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        var input = randn([12, 40], generator: generator);
        var storage = randn([40, 100], generator: generator);            // W[n, k] = storage[k, 3 + n], n < 64
        var weight = storage[.., 3..67].t();

        var output = zeros(12, 64);
        fixed (byte* s = storage.bytes)
        fixed (byte* x = input.bytes)
        fixed (byte* y = output.bytes)
        {
            var view = PackedWeight.InPlace((float*)s + 3, 64, 40, 100);
            view.IsView.Should().BeTrue();
            view.Multiply((float*)x, 40, 12, (float*)y, 64, 0, view.PanelCount);
        }

        TensorAssert.Close(output, input.matmul(weight.t()), "x·Wᵀ", rtol: 1e-5, atol: 1e-5);
    }

    [KernelsTheory]
    [InlineData(1, 37, 45)]
    [InlineData(5, 64, 29)]       // four rows, then one more block of four ending at the last row
    [InlineData(6, 32, 70)]
    [InlineData(11, 45, 64)]      // AVX2: six, then six ending at the last row; AVX-512: ten, then four
    [InlineData(7, 45, 64)]       // AVX2: four, then four ending at the last row
    [InlineData(20, 45, 64)]      // AVX2: six, six, four, four (a series' 20 samples in generation's cross-attention)
    [InlineData(21, 37, 29)]      // AVX2: six, six, six, then four ending at the last row
    [InlineData(27, 96, 33)]
    public unsafe void Every_output_is_one_sequential_fma_chain_over_k_then_bias_and_relu(int rows, int outFeatures, int inFeatures)
    {
        // Why: both kernel families (AVX-512 and AVX2 + FMA) promise this chain, so a product's bits do not depend on
        // the CPU's vector width, on how rows are blocked, or on which thread multiplies which rows.
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var input = randn([rows, inFeatures], generator: generator);
        var weight = randn([outFeatures, inFeatures], generator: generator);
        var bias = randn([outFeatures], generator: generator);
        var output = zeros(rows, outFeatures);
        var (x, w, b) = (input.data<float>().ToArray(), weight.data<float>().ToArray(), bias.data<float>().ToArray());
        var panelCount = (outFeatures + PanelKernels.Width - 1) / PanelKernels.Width;
        var panel = new float[inFeatures * PanelKernels.Width + 16];
        fixed (float* xp = x)
        fixed (float* wp = w)
        fixed (float* bp = b)
        fixed (float* buffer = panel)
        fixed (byte* y = output.bytes)
        {
            var aligned = (float*)(((nint)buffer + 63) & ~(nint)63);
            for (var p = 0; p < panelCount; p++)
            {
                PackedWeight.PackPanel(wp, inFeatures, 1, outFeatures, inFeatures, p, aligned);
                PackedWeight.MultiplyPanel(xp, inFeatures, rows, inFeatures, aligned, PanelKernels.Width,
                    (float*)y + p * PanelKernels.Width, outFeatures, Math.Min(PanelKernels.Width, outFeatures - p * PanelKernels.Width),
                    bp + p * PanelKernels.Width, relu: true);
            }
        }

        var actual = output.data<float>().ToArray();
        for (var r = 0; r < rows; r++)
            for (var n = 0; n < outFeatures; n++)
            {
                var sum = 0f;
                for (var i = 0; i < inFeatures; i++)
                    sum = MathF.FusedMultiplyAdd(x[r * inFeatures + i], w[n * inFeatures + i], sum);
                var expected = MathF.Max(sum + b[n], 0f);
                BitConverter.SingleToInt32Bits(actual[r * outFeatures + n]).Should().Be(BitConverter.SingleToInt32Bits(expected),
                    $"y[{r}, {n}] is the chain of FMAs over k, plus the bias, then relu");
            }
    }

    // A bfloat16 is the upper half of the float32 of the same value: panel p of a weight widened as it is packed holds
    // panel[k·32 + j] = W'[32p + j, k] (W' the weight in float32, as libtorch converts it), zero past the last feature —
    // over 8 × 8 blocks, k tails, and partial last panels with and without whole blocks.
    [Theory]
    [InlineData(70, 45)]
    [InlineData(64, 64)]
    [InlineData(45, 20)]
    [InlineData(9, 7)]
    public unsafe void A_bfloat16_panel_holds_the_widened_weights_in_panel_order(int outFeatures, int inFeatures)
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var weight = randn([outFeatures, inFeatures], generator: new Generator(3)).to_type(ScalarType.BFloat16);
        var widened = weight.to_type(ScalarType.Float32).data<float>().ToArray();
        var packed = new float[inFeatures * PanelKernels.Width];
        fixed (byte* w = weight.bytes)
        fixed (float* destination = packed)
            for (var panel = 0; panel < (outFeatures + PanelKernels.Width - 1) / PanelKernels.Width; panel++)
            {
                PackedWeight.PackPanelBf16((ushort*)w, inFeatures, outFeatures, inFeatures, panel, destination);
                for (var k = 0; k < inFeatures; k++)
                    for (var j = 0; j < PanelKernels.Width; j++)
                    {
                        var feature = panel * PanelKernels.Width + j;
                        var expected = feature < outFeatures ? widened[feature * inFeatures + k] : 0f;
                        packed[k * PanelKernels.Width + j].Should().Be(expected, $"panel {panel}, k {k}, j {j}");
                    }
            }
    }

    // A bfloat16 weight packed whole (a generation call's packed weights) multiplies as its widened float32 weight.
    [KernelsFact]
    public void A_packed_bfloat16_weight_multiplies_as_its_widened_weight()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();
        var generator = new Generator(4);
        var weight = randn([70, 75], generator: generator).to_type(ScalarType.BFloat16);
        var input = randn([20, 75], generator: generator);
        using var arena = new PanelArena();
        var packed = new PackedWeight(weight, arena);
        packed.Pack(0, packed.PanelCount);

        TensorAssert.Close(Multiply(packed, input, 0, packed.PanelCount), input.matmul(weight.to_type(ScalarType.Float32).t()),
            "x·W'ᵀ, W' the widened weight", rtol: 1e-5, atol: 1e-5);
    }

    [Fact]
    public void Only_contiguous_two_dimensional_float32_or_bfloat16_weights_can_be_packed()
    {
        TorchRuntime.EnsureLoaded();
        using var scope = NewDisposeScope();

        using var arena = new PanelArena();
        var float16 = () => new PackedWeight(zeros(4, 4, dtype: ScalarType.Float16), arena);
        var transposed = () => new PackedWeight(zeros(4, 6).t(), arena);

        float16.Should().Throw<ArgumentException>().WithMessage("*contiguous 2-D float32 or bfloat16*");
        transposed.Should().Throw<ArgumentException>().WithMessage("*contiguous 2-D float32 or bfloat16*");
    }

    private static unsafe Tensor Multiply(PackedWeight packed, Tensor input, int firstPanel, int endPanel)
    {
        var output = zeros(input.shape[0], packed.OutFeatures);
        fixed (byte* x = input.bytes)
        fixed (byte* y = output.bytes)
            packed.Multiply((float*)x, packed.InFeatures, (int)input.shape[0], (float*)y, packed.OutFeatures, firstPanel, endPanel);
        return output;
    }
}
