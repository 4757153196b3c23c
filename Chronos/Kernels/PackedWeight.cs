using System.Runtime.Intrinsics;
using static TorchSharp.torch;

namespace Forecast.Chronos.Kernels;

/// <summary>
/// A float32 linear-layer weight (out × in, as nn.Linear stores it) laid out for <c>y = x·Wᵀ</c> with few rows of x:
/// panels of 32 output features, each <c>in</c> rows of 32 contiguous weights (the last panel zero-padded).
/// </summary>
/// <remarks>
/// Why: generating with one series decodes 20 rows per step, and libtorch's sgemm (MKL) copies the whole weight into its
/// own panel layout on every call. With 20 rows that copy — the weight read from memory and written again — cost more
/// than the arithmetic (a third of the decoding time in a profile), and splitting 20 rows over two threads gained
/// little. Packed once per generation call, every step streams each weight once, straight into the FMA pipes
/// (<see cref="PanelKernels"/>): the 64 decoder steps' matrix products of one T5-small series took 0.42 s on two threads
/// instead of 0.94 s. The arithmetic is float32 as the reference's; only the order of the additions differs from MKL's.
/// </remarks>
internal sealed unsafe class PackedWeight
{
    private readonly Tensor? owner;
    private readonly float* source;
    private readonly long rowStride;
    private readonly long columnStride;
    private readonly float* panels;
    private readonly long panelOffset;      // floats from one panel to the next
    private readonly long panelRowStride;   // floats from one k to the next within a panel

    /// <summary>
    /// Takes room in <paramref name="arena"/> for the panels of <paramref name="weight"/> (outFeatures, inFeatures)
    /// float32, contiguous; they are filled by <see cref="Pack"/>, panel range by panel range, so that several threads
    /// can share the work. The weight must stay alive and unchanged while this is used.
    /// </summary>
    public PackedWeight(Tensor weight, PanelArena arena)
        : this(DataOf(weight), (int)weight.shape[0], (int)weight.shape[1], weight.shape[1], 1, arena) =>
        owner = weight;

    /// <summary>
    /// As above for a matrix W[n, k] = <paramref name="data"/>[n·rowStride + k·columnStride] (e.g. the keys of one
    /// attention head inside a (B, h, L, d) tensor, or the transpose of its values).
    /// </summary>
    public PackedWeight(float* data, int outFeatures, int inFeatures, long rowStride, long columnStride, PanelArena arena)
    {
        source = data;
        this.rowStride = rowStride;
        this.columnStride = columnStride;
        OutFeatures = outFeatures;
        InFeatures = inFeatures;
        PanelCount = (OutFeatures + PanelKernels.Width - 1) / PanelKernels.Width;
        panels = arena.Allocate((long)PanelCount * InFeatures * PanelKernels.Width);
        panelOffset = (long)InFeatures * PanelKernels.Width;
        panelRowStride = PanelKernels.Width;
    }

    private PackedWeight(float* data, int outFeatures, int inFeatures, long inputStride)
    {
        panels = data;
        OutFeatures = outFeatures;
        InFeatures = inFeatures;
        PanelCount = outFeatures / PanelKernels.Width;
        panelOffset = PanelKernels.Width;
        panelRowStride = inputStride;
        IsView = true;
    }

    /// <summary>
    /// A matrix that already has the panel layout, used in place (no copy): W[n, k] = <paramref name="data"/>[k·inputStride + n]
    /// with <paramref name="outFeatures"/> a multiple of 32 — e.g. the transposed values of one attention head, whose
    /// d_v values per position are contiguous.
    /// </summary>
    public static PackedWeight InPlace(float* data, int outFeatures, int inFeatures, long inputStride)
    {
        if (outFeatures % PanelKernels.Width != 0)
            throw new ArgumentException($"In-place panels need a multiple of {PanelKernels.Width} output features, not {outFeatures}.", nameof(outFeatures));
        return new PackedWeight(data, outFeatures, inFeatures, inputStride);
    }

    /// <summary>True for <see cref="InPlace"/> matrices: nothing to <see cref="Pack"/>.</summary>
    public bool IsView { get; }

    /// <summary>True where the kernels run in hardware (AVX-512); elsewhere callers keep libtorch's product.</summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated;

    public int OutFeatures { get; }
    public int InFeatures { get; }
    public int PanelCount { get; }

    /// <summary>
    /// Copies the weights of panels <paramref name="firstPanel"/> … <paramref name="endPanel"/>−1 into place
    /// (panel[k, j] = W[32·panel + j, k], zero beyond the last output feature). Each weight row is read sequentially
    /// (the prefetcher streams it from memory) into one column of its panel, which stays in the L2 cache (≤ 256 KiB for
    /// 2 048 inputs) until it is complete; libtorch's strided copy of the same transposition was ~10× slower.
    /// </summary>
    public void Pack(int firstPanel, int endPanel)
    {
        if (IsView)
            return;
        var k = InFeatures;
        for (var panel = firstPanel; panel < endPanel; panel++)
        {
            var destination = panels + (long)panel * k * PanelKernels.Width;
            var width = Math.Min(PanelKernels.Width, OutFeatures - panel * PanelKernels.Width);
            if (width < PanelKernels.Width)
                new Span<float>(destination, k * PanelKernels.Width).Clear();
            for (var j = 0; j < width; j++)
            {
                var row = source + ((long)panel * PanelKernels.Width + j) * rowStride;
                var column = destination + j;
                for (var i = 0; i < k; i++)
                    column[i * PanelKernels.Width] = row[i * columnStride];
            }
        }
    }

    /// <summary>
    /// Writes <c>y[r, n] = Σₖ x[r, k]·W[n, k]</c> for all <paramref name="rows"/> and the output features of panels
    /// <paramref name="firstPanel"/> … <paramref name="endPanel"/>−1. Rows of x are <paramref name="xStride"/> floats
    /// apart (their k values contiguous), rows of y <paramref name="yStride"/>.
    /// </summary>
    public void Multiply(float* x, long xStride, int rows, float* y, long yStride, int firstPanel, int endPanel)
    {
        var k = InFeatures;
        var scratch = stackalloc float[10 * PanelKernels.Width];
        for (var panel = firstPanel; panel < endPanel; panel++)
        {
            var weights = panels + panel * panelOffset;
            var column = panel * PanelKernels.Width;
            var width = Math.Min(PanelKernels.Width, OutFeatures - column);
            var full = width == PanelKernels.Width;
            var row = 0;
            while (row < rows)
            {
                var count = rows - row >= 10 ? 10 : rows - row >= 4 ? 4 : 1;
                // A partial last panel is computed into scratch and only its valid columns are copied out.
                var destination = full ? y + row * yStride + column : scratch;
                var stride = full ? yStride : PanelKernels.Width;
                var input = x + row * xStride;
                if (count == 10)
                    PanelKernels.TenRows(input, xStride, k, weights, panelRowStride, destination, stride);
                else if (count == 4)
                    PanelKernels.FourRows(input, xStride, k, weights, panelRowStride, destination, stride);
                else
                    PanelKernels.OneRow(input, k, weights, panelRowStride, destination);
                if (!full)
                    for (var r = 0; r < count; r++)
                        new ReadOnlySpan<float>(scratch + r * PanelKernels.Width, width)
                            .CopyTo(new Span<float>(y + (row + r) * yStride + column, width));
                row += count;
            }
        }
    }

    /// <summary>The address of a contiguous 2-D float32 tensor's data (it does not move: libtorch memory).</summary>
    private static float* DataOf(Tensor weight)
    {
        if (weight.dim() != 2 || weight.dtype != ScalarType.Float32 || !weight.is_contiguous())
            throw new ArgumentException(
                $"A packed weight is a contiguous 2-D float32 matrix, not {weight.dtype} {string.Join('×', weight.shape)}.", nameof(weight));
        fixed (byte* data = weight.bytes)
            return (float*)data;
    }
}
