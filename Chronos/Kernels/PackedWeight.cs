using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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
/// The static <see cref="MultiplyPanelByPanel"/> (one panel packed at a time, the whole weight never copied) is no
/// longer on the inference path — products whose weights are used once per call go through KernelBackend's row blocks
/// (<see cref="MultiplyPanelRows"/>) — and is kept for bench/Chronos's two-core panel-ceiling measurement.
/// </remarks>
internal sealed unsafe class PackedWeight
{
    private readonly Tensor? owner;
    private readonly float* source;
    private readonly bool bfloat16Source;   // source points at bfloat16 elements (contiguous rows)
    private readonly long rowStride;
    private readonly long columnStride;
    private readonly float* panels;
    private readonly long panelOffset;      // floats from one panel to the next
    private readonly long panelRowStride;   // floats from one k to the next within a panel

    /// <summary>
    /// Takes room in <paramref name="arena"/> for the panels of <paramref name="weight"/> (outFeatures, inFeatures)
    /// float32 — or bfloat16, widened to float32 as it is packed (<see cref="PackPanelBf16"/>) —, contiguous; they are
    /// filled by <see cref="Pack"/>, panel range by panel range, so that several threads can share the work. The weight
    /// must stay alive and unchanged while this is used.
    /// </summary>
    public PackedWeight(Tensor weight, PanelArena arena)
        : this(DataOf(weight), (int)weight.shape[0], (int)weight.shape[1], weight.shape[1], 1, arena)
    {
        owner = weight;
        bfloat16Source = weight.dtype == ScalarType.BFloat16;
    }

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

    /// <summary>
    /// True where the kernels run in hardware: AVX-512 (<see cref="PanelKernels"/>), or AVX2 with FMA
    /// (<see cref="PanelKernels256"/>); elsewhere callers keep libtorch's product.
    /// </summary>
    public static bool IsSupported => Vector512.IsHardwareAccelerated || Avx2.IsSupported && Fma.IsSupported;

    public int OutFeatures { get; }
    public int InFeatures { get; }
    public int PanelCount { get; }

    /// <summary>
    /// Copies the weights of panels <paramref name="firstPanel"/> … <paramref name="endPanel"/>−1 into place
    /// (panel[k, j] = W[32·panel + j, k], zero beyond the last output feature); see <see cref="PackPanel"/>.
    /// </summary>
    public void Pack(int firstPanel, int endPanel)
    {
        if (IsView)
            return;
        for (var panel = firstPanel; panel < endPanel; panel++)
            if (bfloat16Source)
                PackPanelBf16((ushort*)source, rowStride, OutFeatures, InFeatures, panel, panels + panel * panelOffset);
            else
                PackPanel(source, rowStride, columnStride, OutFeatures, InFeatures, panel, panels + panel * panelOffset);
    }

    /// <summary>
    /// Writes panel <paramref name="panel"/> of W[n, k] = <paramref name="source"/>[n·rowStride + k·columnStride]
    /// (outFeatures × inFeatures) to <paramref name="destination"/>: inFeatures rows of 32 floats, zero beyond the
    /// last output feature. Rows of a weight (columnStride 1) are transposed 8 × 8 at a time in AVX registers — eight
    /// weight rows are read sequentially (the prefetcher streams them) and written as eight panel rows, which stay in
    /// the L2 cache until the panel is used; the scalar copy of the same transposition cost as much as the arithmetic
    /// of a 16-row product.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackPanel(float* source, long rowStride, long columnStride, int outFeatures, int inFeatures,
        int panel, float* destination)
    {
        const int width = PanelKernels.Width;
        var k = inFeatures;
        var features = Math.Min(width, outFeatures - panel * width);
        var first = source + (long)panel * width * rowStride;
        if (features < width)
            new Span<float>(destination, k * width).Clear();
        var blocked = columnStride == 1 && Avx.IsSupported ? features / 8 * 8 : 0;
        var blockedK = k / 8 * 8;
        for (var j = 0; j < blocked; j += 8)
            for (var i = 0; i < blockedK; i += 8)
                Transpose8x8(first + j * rowStride + i, rowStride, destination + (long)i * width + j, width);
        for (var j = 0; j < features; j++)
        {
            var row = first + j * rowStride;
            var column = destination + j;
            for (var i = j < blocked ? blockedK : 0; i < k; i++)
                column[(long)i * width] = row[i * columnStride];
        }
    }

    /// <summary>
    /// <see cref="PackPanel"/> for a contiguous bfloat16 weight (rows <paramref name="rowStride"/> elements apart), each
    /// weight widened to the float32 of the same value as it is written (a bfloat16 is the upper half of that float32's
    /// bits): the products then run the float32 panel kernels on the bfloat16 weights, where no bfloat16 arithmetic is
    /// in hardware (AVX2 without AVX512_BF16), reading half the bytes of a float32 weight.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackPanelBf16(ushort* source, long rowStride, int outFeatures, int inFeatures, int panel, float* destination)
    {
        const int width = PanelKernels.Width;
        var k = inFeatures;
        var features = Math.Min(width, outFeatures - panel * width);
        var first = source + (long)panel * width * rowStride;
        if (features < width)
            new Span<float>(destination, k * width).Clear();
        var blocked = Avx2.IsSupported ? features / 8 * 8 : 0;
        var blockedK = k / 8 * 8;
        for (var j = 0; j < blocked; j += 8)
            for (var i = 0; i < blockedK; i += 8)
            {
                var row = first + j * rowStride + i;
                Transpose8x8(Widen(row), Widen(row + rowStride), Widen(row + 2 * rowStride), Widen(row + 3 * rowStride),
                    Widen(row + 4 * rowStride), Widen(row + 5 * rowStride), Widen(row + 6 * rowStride), Widen(row + 7 * rowStride),
                    destination + (long)i * width + j, width);
            }
        for (var j = 0; j < features; j++)
        {
            var row = first + j * rowStride;
            var column = destination + j;
            for (var i = j < blocked ? blockedK : 0; i < k; i++)
                column[(long)i * width] = BitConverter.Int32BitsToSingle(row[i] << 16);
        }
    }

    /// <summary>Eight bfloat16 values as the float32s they are (zero-extended, shifted into the upper half).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Widen(ushort* values) =>
        Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32(values), 16).AsSingle();

    /// <summary>
    /// destination[c·destinationStride + r] = source[r·sourceStride + c] for an 8 × 8 block (unpack, shuffle and
    /// 128-bit permute: the textbook AVX transpose).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* source, long sourceStride, float* destination, long destinationStride) =>
        Transpose8x8(Avx.LoadVector256(source), Avx.LoadVector256(source + sourceStride),
            Avx.LoadVector256(source + 2 * sourceStride), Avx.LoadVector256(source + 3 * sourceStride),
            Avx.LoadVector256(source + 4 * sourceStride), Avx.LoadVector256(source + 5 * sourceStride),
            Avx.LoadVector256(source + 6 * sourceStride), Avx.LoadVector256(source + 7 * sourceStride), destination, destinationStride);

    /// <summary>Eight rows in registers written as eight columns (the shuffles of <see cref="Transpose8x8(float*, long, float*, long)"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> r3,
        Vector256<float> r4, Vector256<float> r5, Vector256<float> r6, Vector256<float> r7, float* destination, long destinationStride)
    {
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(destination, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(destination + destinationStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(destination + 2 * destinationStride, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(destination + 3 * destinationStride, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(destination + 4 * destinationStride, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(destination + 5 * destinationStride, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(destination + 6 * destinationStride, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(destination + 7 * destinationStride, Avx.Permute2x128(s3, s7, 0x31));
    }

    /// <summary>
    /// Writes <c>y[r, n] = Σₖ x[r, k]·W[n, k]</c> for all <paramref name="rows"/> and the output features of panels
    /// <paramref name="firstPanel"/> … <paramref name="endPanel"/>−1. Rows of x are <paramref name="xStride"/> floats
    /// apart (their k values contiguous), rows of y <paramref name="yStride"/>.
    /// </summary>
    public void Multiply(float* x, long xStride, int rows, float* y, long yStride, int firstPanel, int endPanel) =>
        Multiply(x, xStride, 0, rows, y, yStride, firstPanel, endPanel, null, false);

    /// <summary>
    /// As above for rows <paramref name="firstRow"/> … <paramref name="endRow"/>−1 only (at least
    /// <see cref="RowsPerPass"/>, or all rows: the kernels' last block of rows overlaps the previous one), each stored as <c>max(0, y + bias)</c> as asked
    /// (<paramref name="bias"/>: all <see cref="OutFeatures"/> biases).
    /// </summary>
    public void Multiply(float* x, long xStride, int firstRow, int endRow, float* y, long yStride, int firstPanel, int endPanel,
        float* bias, bool relu)
    {
        for (var panel = firstPanel; panel < endPanel; panel++)
            Multiply(x, xStride, firstRow, endRow, y, yStride, panel, bias, relu, null, 0);
    }

    /// <summary>
    /// As <see cref="Multiply(float*, long, int, int, float*, long, int, int, float*, bool)"/> for panel
    /// <paramref name="panel"/> alone, bringing <paramref name="prefetchFloats"/> floats from <paramref name="prefetch"/>
    /// into the L2 cache meanwhile (4·<see cref="InFeatures"/> per pass of <see cref="RowsPerPass"/> rows).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Multiply(float* x, long xStride, int firstRow, int endRow, float* y, long yStride, int panel, float* bias,
        bool relu, float* prefetch, long prefetchFloats) =>
        MultiplyPanel(x + firstRow * xStride, xStride, endRow - firstRow, InFeatures, panels + panel * panelOffset, panelRowStride,
            y + firstRow * yStride + panel * PanelKernels.Width, yStride, Math.Min(PanelKernels.Width, OutFeatures - panel * PanelKernels.Width),
            bias is null ? null : bias + panel * PanelKernels.Width, relu, prefetch, prefetchFloats);

    /// <summary>
    /// The packed floats of panel <paramref name="panel"/> (<see cref="InFeatures"/> rows of 32, contiguous), or null
    /// for an <see cref="InPlace"/> matrix, whose panels are not contiguous.
    /// </summary>
    public float* PanelStart(int panel) => IsView ? null : panels + panel * panelOffset;

    /// <summary>
    /// <c>y = x·Wᵀ</c> (then <c>max(0, y + bias)</c> as asked) for contiguous x (rows × inFeatures), W (outFeatures ×
    /// inFeatures) and y (rows × outFeatures), output panels <paramref name="firstPanel"/> … <paramref name="endPanel"/>−1:
    /// each panel is packed into <paramref name="panelBuffer"/> (inFeatures × 32 floats, 64-byte aligned) just before
    /// every row is multiplied with it, so the whole weight is never copied.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    /// <param name="prefetchPanel">
    /// The panel whose weights are fetched into the L2 cache while the last one is multiplied (default: the one after
    /// it; a thread taking every other panel names its own next).
    /// </param>
    public static void MultiplyPanelByPanel(float* x, int rows, float* w, int outFeatures, int inFeatures, float* y,
        float* bias, bool relu, int firstPanel, int endPanel, float* panelBuffer, int prefetchPanel = -1)
    {
        for (var panel = firstPanel; panel < endPanel; panel++)
        {
            PackPanel(w, inFeatures, 1, outFeatures, inFeatures, panel, panelBuffer);
            var column = panel * PanelKernels.Width;
            // The next panel's weights (32 contiguous rows of W) are fetched into the L2 cache while this one is
            // multiplied: packing from memory was 12 % of the kernels' time with one series of Chronos-2 (each weight
            // is read once per call there, and 450 MB of them do not stay in any cache).
            var following = panel + 1 < endPanel ? panel + 1 : prefetchPanel;
            var next = following >= 0 && (long)following * PanelKernels.Width < outFeatures ? (long)following * PanelKernels.Width : outFeatures;
            MultiplyPanel(x, inFeatures, rows, inFeatures, panelBuffer, PanelKernels.Width, y + column, outFeatures,
                Math.Min(PanelKernels.Width, outFeatures - column), bias is null ? null : bias + column, relu,
                w + next * inFeatures, (Math.Min(outFeatures, next + PanelKernels.Width) - next) * inFeatures);
        }
    }

    /// <summary>
    /// Rows <paramref name="firstRow"/> … <paramref name="endRow"/>−1 (at least <see cref="RowsPerPass"/>, or all rows) of
    /// <see cref="MultiplyPanelByPanel"/>'s product for one panel already packed into <paramref name="panelBuffer"/>
    /// (<see cref="PackPanel"/>): what one thread does with a block of rows when several share a panel. The outputs are
    /// the same chains of FMAs as for the whole panel at once, so the result does not depend on how rows are shared.
    /// Every pass of <see cref="RowsPerPass"/> rows it fetches 4·inFeatures floats of <paramref name="prefetch"/> (<paramref name="prefetchFloats"/> in
    /// all) into the L2 cache: the weights to be packed next.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyPanelRows(float* x, int firstRow, int endRow, float* panelBuffer, int outFeatures, int inFeatures,
        float* y, float* bias, bool relu, int panel, float* prefetch, long prefetchFloats)
    {
        var column = panel * PanelKernels.Width;
        MultiplyPanel(x + (long)firstRow * inFeatures, inFeatures, endRow - firstRow, inFeatures, panelBuffer, PanelKernels.Width,
            y + (long)firstRow * outFeatures + column, outFeatures, Math.Min(PanelKernels.Width, outFeatures - column),
            bias is null ? null : bias + column, relu, prefetch, prefetchFloats);
    }

    /// <summary>
    /// <c>y[r, j] = Σₖ x[r, k]·panel[k, j]</c> for all rows and the first <paramref name="width"/> (≤ 32) columns of
    /// one panel whose rows are <paramref name="panelRowStride"/> floats apart, through the kernel family this CPU runs
    /// (chosen here once for every product): <see cref="PanelKernels"/> with AVX-512 (ten rows at a time, then four,
    /// then one), else <see cref="PanelKernels256"/> (six rows at a time, then four, then one). Both compute every
    /// output as the same chain of FMAs, so they give the same bits. With <paramref name="bias"/> (the panel's
    /// <paramref name="width"/> biases) and/or <paramref name="relu"/>, every row is stored as <c>max(0, y + bias)</c>
    /// by the kernels themselves — a linear layer's epilogue without another pass over the output.
    /// </summary>
    /// <param name="prefetch">
    /// Memory to bring into the L2 cache meanwhile (<paramref name="prefetchFloats"/> floats), 4·k floats per pass of
    /// <see cref="RowsPerPass"/> rows: the weights of the next panel.
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyPanel(float* x, long xStride, int rows, int k, float* panel, long panelRowStride,
        float* y, long yStride, int width, float* bias = null, bool relu = false, float* prefetch = null, long prefetchFloats = 0)
    {
        var scratch = stackalloc float[PanelKernels.RowsPerPass * PanelKernels.Width];
        // The kernels add 32 biases per row: a partial panel's are copied next to zeros (its other columns are dropped).
        if (bias is not null && width != PanelKernels.Width)
        {
            var padded = stackalloc float[PanelKernels.Width];
            new Span<float>(padded, PanelKernels.Width).Clear();
            new ReadOnlySpan<float>(bias, width).CopyTo(new Span<float>(padded, width));
            bias = padded;
        }
        if (Vector512.IsHardwareAccelerated)
            MultiplyPanel512(x, xStride, rows, k, panel, panelRowStride, y, yStride, width, bias, relu, prefetch, prefetchFloats, scratch);
        else
            MultiplyPanel256(x, xStride, rows, k, panel, panelRowStride, y, yStride, width, bias, relu, prefetch, prefetchFloats, scratch);
    }

    /// <summary>Rows of x per pass of the widest kernel this CPU runs (a panel row schedule's blocks are four passes).</summary>
    public static int RowsPerPass => Vector512.IsHardwareAccelerated ? PanelKernels.RowsPerPass : PanelKernels256.RowsPerPass;

    /// <summary><see cref="MultiplyPanel"/> with the AVX-512 kernels (<paramref name="scratch"/>: ten rows of 32 floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyPanel512(float* x, long xStride, int rows, int k, float* panel, long panelRowStride,
        float* y, long yStride, int width, float* bias, bool relu, float* prefetch, long prefetchFloats, float* scratch)
    {
        var full = width == PanelKernels.Width;
        var prefetched = 0L;            // TenRows asks for 4·k floats (k/4 lines) per block: 8 blocks cover a panel
        var row = 0;
        while (row < rows)
        {
            var left = rows - row;
            var count = left >= 10 ? 10 : left >= 4 ? 4 : 1;
            // The rows past the last block of ten go through one more block of ten (or four) ending at the last row,
            // recomputing a few rows already written: one-row products are bound by the FMA latency (2 chains), so
            // three of them cost more than a block of ten. Every output is the same chain of FMAs in every kernel, so a
            // recomputed row gets the same bits (and its bias and relu are applied again to the fresh sums).
            if (left < 10 && rows >= 10 && left > 4)
                (row, count) = (rows - 10, 10);
            else if (left < 4 && rows >= 4)
                (row, count) = (rows - 4, 4);
            // A partial last panel is computed into scratch and only its valid columns are copied out.
            var destination = full ? y + row * yStride : scratch;
            var stride = full ? yStride : PanelKernels.Width;
            var input = x + row * xStride;
            if (count == 10)
            {
                // Past the region (or without one) the panel itself is named: lines already in the cache.
                PanelKernels.TenRows(input, xStride, k, panel, panelRowStride, destination, stride,
                    prefetched < prefetchFloats ? prefetch + prefetched : panel, bias, relu);
                prefetched += 4L * k;
            }
            else if (count == 4)
                PanelKernels.FourRows(input, xStride, k, panel, panelRowStride, destination, stride, bias, relu);
            else
                PanelKernels.OneRow(input, k, panel, panelRowStride, destination, bias, relu);
            if (!full)
                CopyColumns(scratch, count, width, y + row * yStride, yStride);
            row += count;
        }
    }

    /// <summary><see cref="MultiplyPanel"/> with the AVX2 + FMA kernels (<paramref name="scratch"/>: at least six rows of 32 floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyPanel256(float* x, long xStride, int rows, int k, float* panel, long panelRowStride,
        float* y, long yStride, int width, float* bias, bool relu, float* prefetch, long prefetchFloats, float* scratch)
    {
        const int half = PanelKernels256.HalfWidth;
        var full = width == PanelKernels.Width;
        var prefetched = 0L;            // each half of SixRows asks for 2·k floats (k/8 lines): 8 passes cover a panel
        var row = 0;
        while (row < rows)
        {
            var left = rows - row;
            // Four rows (two passes of two rows × 32 features) cost about two thirds of a six-row pass over both
            // halves, and one row (four chains, bound by the FMA latency) about as much as four. So the last rows are
            // covered with as few row-passes as possible: seven or eight rows left as two blocks of four, five as one
            // block of six ending at the last row, one to three as one block of four ending there, recomputing rows
            // already written — with the same bits, every output being the same chain of FMAs in every kernel. (A
            // generation call's cross-attention multiplies 20 samples per series: 6 + 6 + 4 + 4 rows, not 6 + 6 + 6 + 4.)
            int count;
            if (left == 7 || left == 8)
                count = 4;
            else if (left >= 6)
                count = 6;
            else if (left == 5 && rows >= 6)
                (row, count) = (rows - 6, 6);
            else if (left >= 4)
                count = 4;
            else if (rows >= 4)
                (row, count) = (rows - 4, 4);
            else
                count = 1;
            // A partial last panel is computed into scratch and only its valid columns are copied out.
            var destination = full ? y + row * yStride : scratch;
            var stride = full ? yStride : PanelKernels.Width;
            var input = x + row * xStride;
            if (count == 6)
            {
                // Past the region (or without one) the panel itself is named: lines already in the cache.
                var ahead = prefetched < prefetchFloats ? prefetch + prefetched : panel;
                PanelKernels256.SixRows(input, xStride, k, panel, panelRowStride, destination, stride, ahead, bias, relu);
                ahead = prefetched + 2L * k < prefetchFloats ? prefetch + prefetched + 2L * k : panel;
                PanelKernels256.SixRows(input, xStride, k, panel + half, panelRowStride, destination + half, stride, ahead,
                    bias is null ? null : bias + half, relu);
                prefetched += 4L * k;
            }
            else if (count == 4)
                PanelKernels256.FourRows(input, xStride, k, panel, panelRowStride, destination, stride, bias, relu);
            else
                PanelKernels256.OneRow(input, k, panel, panelRowStride, destination, bias, relu);
            if (!full)
                CopyColumns(scratch, count, width, y + row * yStride, yStride);
            row += count;
        }
    }

    /// <summary>The first <paramref name="width"/> columns of <paramref name="count"/> scratch rows (32 floats each) to y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CopyColumns(float* scratch, int count, int width, float* y, long yStride)
    {
        for (var r = 0; r < count; r++)
            new ReadOnlySpan<float>(scratch + r * PanelKernels.Width, width).CopyTo(new Span<float>(y + r * yStride, width));
    }

    /// <summary>The address of a contiguous 2-D float32 or bfloat16 tensor's data (it does not move: libtorch memory).</summary>
    private static float* DataOf(Tensor weight)
    {
        if (weight.dim() != 2 || weight.dtype is not (ScalarType.Float32 or ScalarType.BFloat16) || !weight.is_contiguous())
            throw new ArgumentException(
                $"A packed weight is a contiguous 2-D float32 or bfloat16 matrix, not {weight.dtype} {string.Join('×', weight.shape)}.", nameof(weight));
        fixed (byte* data = weight.bytes)
            return (float*)data;
    }
}
