using System.Runtime.CompilerServices;
using Forecast.Chronos.Kernels;
using Forecast.Chronos.Lora;
using Forecast.Chronos.Parallelism;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.Inference;

/// <summary>
/// <see cref="IInferenceBackend"/> in our own kernels (AVX-512, or AVX2 + FMA) for one float32 inference call, split over libtorch's
/// thread count by helper threads while libtorch itself runs single-threaded (<see cref="WorkerLease"/>): linear
/// products (<see cref="DotKernels"/> reading the weights in place up to <see cref="DotRowLimit"/> rows, above that
/// each 32-feature panel packed just before use, panels and their row blocks shared by the threads as they come free
/// (<see cref="PackedWeight.MultiplyPanelRows"/>, <see cref="PanelRowSchedule"/>) with bias and relu
/// applied as outputs are written, T5's RMS norm and residual sums (<see cref="RowKernels"/>) and attention
/// (<see cref="AttentionKernels"/>, heads merged as they are written); bfloat16 weights through <see cref="Bf16Kernels"/>
/// where they run, elsewhere widened to float32 as their panels are packed (<see cref="Bf16Kernels.WidensWeights"/>).
/// What the kernels do not cover — bfloat16 on a CPU with bfloat16 arithmetic but without the native kernels, bfloat16
/// biases, dropout in training mode, other dtypes — runs in libtorch with the call's threads.
/// </summary>
/// <remarks>
/// Why not libtorch's sgemm: on this AMD EPYC (Zen 5) it runs MKL's AVX2 code path, which reached 110–180 GFLOP/s on two
/// threads at Bolt's shapes against 175–215 GFLOP/s for these kernels, packing included, and at 33 rows 110–120 against
/// 180–190 (bench/Chronos <c>gemm</c>; the FMA peak is ≈ 230). Generation (<see cref="ForGeneration"/>) runs the same
/// weights for every decoder step: there each weight is packed whole once per call into pages kept between calls
/// (<see cref="PanelArena"/>), and the cross-attention keys of every (entry, head) pair are packed once; at 20 rows
/// libtorch's sgemm copied the whole weight into its own layout on every call, a third of the decoding time.
/// Results differ from libtorch's only in the order of float32 additions.
/// <para>
/// The methods an inference call runs many times — this backend and its lambdas, the kernels' dispatchers, the worker
/// threads' job loop, the T5 and Bolt modules — are compiled fully optimised at first use
/// (<see cref="System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization"/>) instead of being tiered up:
/// under the runtime's default tiered compilation their tier-1 recompiles ran on a background thread during a process's
/// first calls and took a core from the call's two threads (Bolt-base, one series: up to 0.27 CPU s inside one 0.15 s
/// call, which then took 0.39 s; 0.56–0.61 CPU s of recompiles over the ten calls after a warm-up, 0.27–0.30 with the
/// attribute — the rest is TorchSharp's and the BCL's).
/// </para>
/// </remarks>
internal sealed class KernelBackend : IInferenceBackend
{
    /// <summary>
    /// Up to this many rows a product reads the weights in place (<see cref="DotKernels"/>); above, packing a panel
    /// per use pays for itself (bench/Chronos <c>gemm</c>).
    /// </summary>
    public const int DotRowLimit = 48;

    [ThreadStatic] private static float[]? panelBuffer;
    [ThreadStatic] private static float[]? scratchBuffer;

    private readonly WorkerLease workers = new();
    private readonly PanelRowSchedule panelSchedule = new();
    private readonly PackedWeightCache? packedWeights;
    private readonly Dictionary<(Linear First, Linear Second), Tensor>? composedWeights;
    private Tensor? widenedFirst;
    private Tensor? widenedSecond;
    private readonly bool reusesFreedBuffers;
    private Tensor? feedForwardBuffer;

    private KernelBackend(PackedWeightCache? packedWeights, bool composeChains = false, bool reusesFreedBuffers = false)
    {
        this.packedWeights = packedWeights;
        composedWeights = composeChains ? new() : null;
        this.reusesFreedBuffers = reusesFreedBuffers;
    }

    /// <summary>
    /// True where the kernels run in hardware: AVX-512, or AVX2 with FMA (<see cref="PackedWeight.IsSupported"/>). The
    /// native bfloat16 kernels need AVX512_BF16 besides (<see cref="Bf16Kernels.IsSupported"/>); without them bfloat16
    /// weights are widened to float32 as they are packed (<see cref="Bf16Kernels.WidensWeights"/>).
    /// </summary>
    public static bool IsSupported => PackedWeight.IsSupported;

    /// <summary>A call whose products each use their weights once or a few times (encoders, Bolt, Chronos-2).</summary>
    /// <param name="composeChains">
    /// <see cref="LinearChain"/>s whose module keeps no composed weight between calls (or where libtorch's version
    /// counter cannot be read, <see cref="TensorVersion"/>) multiply by a composed weight <c>W₂·W₁</c> made at its first
    /// use and kept for the call: for calls with many more rows than the layers' width (<see cref="ComposesChains"/>),
    /// where one product instead of two pays for composing (a d_in·d_mid·d_out product) many times over.
    /// </param>
    /// <param name="reusesFreedBuffers">
    /// The call reuses freed buffers (<see cref="FreedBufferReuse"/>, <see cref="InferenceCall.ReuseFreedBuffers"/>):
    /// then <see cref="ReluFeedForward"/> writes its (rows × d_ff) inner activations into one buffer kept for the call
    /// instead of a new one per layer, while it is below <see cref="FreedBufferReuse.HeapBlockLimit"/> (larger blocks are
    /// mappings of their own, returned when freed). While freed buffers are reused the inner activations are the
    /// largest block per layer; freed, a smaller request splits it, the next layer's no longer fits and the heap grows at
    /// its top by that much, layer after layer (a one-series Chronos-2 call: 1.6 MB per block, ≈ 8 MiB of its
    /// transient). Without reuse a freed block of that size is a mapping returned at once, and nothing is kept.
    /// </param>
    public static KernelBackend ForBatch(bool composeChains = false, bool reusesFreedBuffers = false) =>
        new(null, composeChains, reusesFreedBuffers);

    /// <summary>
    /// Whether a call of about <paramref name="rows"/> rows through layers of width <paramref name="width"/> composes
    /// <see cref="LinearChain"/>s: from 4·width rows on, composing (width³ multiply-adds per chain) costs at most a
    /// quarter of the second product it saves.
    /// </summary>
    public static bool ComposesChains(long rows, int width) => rows >= 4L * width;

    /// <summary>
    /// A generation call's decoder steps: weights packed whole at first use (into <paramref name="arena"/>'s pages when
    /// no other call holds them) and kept for the call, cross-attention keys of queries over fixed keys packed once.
    /// Only for tensors that stay where they are for the whole call.
    /// </summary>
    public static KernelBackend ForGeneration(PanelArena? arena) => new(new PackedWeightCache(arena));

    /// <summary>Number of threads the work is split over: libtorch's thread count when the call began.</summary>
    public int Parts => workers.Parts;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor Linear(Linear layer, Tensor input, bool relu = false)
    {
        var weight = layer.weight!;
        if (layer.training || !Accepts(input, weight) || layer.bias is { } bias && bias.dtype != ScalarType.Float32 || LoraLayer.Find(layer) is not null)
            return InLibtorch(() => LibtorchBackend.Instance.Linear(layer, input, relu));
        return Multiply(input, weight, layer.bias, relu);
    }

    /// <summary>
    /// <c>second(first(input))</c> (float32, bias-free, no LoRA) through the composed weight <c>W₂·W₁</c>, one product
    /// instead of two: the one <paramref name="kept"/> by the layers' module between calls (made once enough rows have
    /// come through, <see cref="ComposedWeight"/>), else in a call that composes chains (<see cref="ForBatch"/>) one made
    /// for the call; otherwise two products.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor LinearChain(Linear first, Linear second, Tensor input, ComposedWeight? kept = null)
    {
        if (!Accepts(input, first.weight!) || !Composable(first, second))
            return TwoProducts(first, second, input);
        Tensor? composed = null;
        if (kept is not null && TensorVersion.IsAvailable)
            composed = kept.For(first, second, input.NumberOfElements / first.weight!.shape[1], () => Compose(first, second));
        else if (composedWeights is not null && !composedWeights.TryGetValue((first, second), out composed))
            // Kept past the chunk's dispose scope until Dispose.
            composedWeights[(first, second)] = composed = Compose(first, second).DetachFromDisposeScope();
        return composed is null ? TwoProducts(first, second, input) : Multiply(input, composed, null, relu: false);
    }

    public void PrepareLinearChain(Linear first, Linear second, long rows, ComposedWeight kept)
    {
        if (!is_grad_enabled() && IsKernelWeight(first.weight!) && Composable(first, second) && TensorVersion.IsAvailable)
            _ = kept.For(first, second, rows, () => Compose(first, second));
    }

    /// <summary>
    /// Two bias-free linear layers of matching widths, neither training nor carrying LoRA: float32, or bfloat16 where
    /// bfloat16 weights are widened (<see cref="Compose"/> then multiplies the widened weights in float32, as the two
    /// products would; with the native bfloat16 kernels two bfloat16 products stay, as autocast computes them).
    /// </summary>
    private bool Composable(Linear first, Linear second) =>
        first.bias is null && second.bias is null && !first.training && !second.training
        && (first.weight!.dtype == ScalarType.Float32 && second.weight!.dtype == ScalarType.Float32
            || first.weight!.dtype == ScalarType.BFloat16 && second.weight!.dtype == ScalarType.BFloat16 && Bf16Kernels.WidensWeights)
        && IsKernelWeight(second.weight!) && second.weight!.shape[1] == first.weight!.shape[0]
        && LoraLayer.Find(first) is null && LoraLayer.Find(second) is null;

    /// <summary>
    /// <c>W₂·W₁</c>, (out₂ × mid)·(mid × in₁), in the kernels (libtorch's sgemm would wake its OpenMP team, whose threads
    /// then spin on the cores the kernels' threads use).
    /// </summary>
    private Tensor Compose(Linear first, Linear second)
    {
        // float32 (bfloat16 weights widened first): the composed weight is float32 either way. Every temporary is
        // disposed here: a call's preparation composes outside any dispose scope.
        using var firstWeight = first.weight!.to_type(ScalarType.Float32);
        using var transposed = firstWeight.t();
        using var firstTransposed = transposed.contiguous();
        using var secondWeight = second.weight!.to_type(ScalarType.Float32);
        return Multiply(secondWeight, firstTransposed, null, relu: false);
    }

    private Tensor TwoProducts(Linear first, Linear second, Tensor input)
    {
        using var inner = Linear(first, input);
        return Linear(second, inner);
    }

    /// <remarks>
    /// One pair of buffers for the call, written again by each layer (Bolt's decoder step: once per layer and 16-series
    /// chunk): a copy per layer kept for the call (ab9d861) held every decoder layer's pair at once, 2·d² floats per
    /// layer, ≈ 54 MiB more at the peak for Bolt-base's 12 layers.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (Tensor First, Tensor Second) Float32Weights(Linear first, Linear second) =>
        (Widened(first.weight!, ref widenedFirst), Widened(second.weight!, ref widenedSecond));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Tensor Widened(Tensor weight, ref Tensor? buffer)
    {
        if (weight.dtype == ScalarType.Float32)
            return weight;
        if (buffer is null || !buffer.shape.SequenceEqual(weight.shape))
        {
            buffer?.Dispose();
            // Outside the dispose scope of the layer that first asks: it lives until the call's backend is disposed.
            buffer = empty(weight.shape, dtype: ScalarType.Float32).DetachFromDisposeScope();
        }
        buffer.copy_(weight);
        return buffer;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor Product(Tensor input, Tensor weight) =>
        Accepts(input, weight) ? Multiply(input, weight, null, relu: false) : InLibtorch(() => LibtorchBackend.Instance.Product(input, weight));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor ReluFeedForward(Linear wi, Linear wo, Tensor input, Dropout dropout)
    {
        if (dropout.training || wi.training || !Accepts(input, wi.weight!) || !IsKernelWeight(wo.weight!)
            || LoraLayer.Find(wi) is not null || LoraLayer.Find(wo) is not null)
            return InLibtorch(() => LibtorchBackend.Instance.ReluFeedForward(wi, wo, input, dropout));
        using var inner = Multiply(input, wi.weight!, null, relu: true, into: FeedForwardBuffer(input, wi.weight!));
        return Multiply(inner, wo.weight!, null, relu: false);
    }

    /// <summary>
    /// The kept buffer for <c>relu(input · wiᵀ)</c>, shaped as that product, or null for a new one (a call that reuses no
    /// freed buffers, <see cref="ForBatch"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Tensor? FeedForwardBuffer(Tensor input, Tensor weight)
    {
        if (!reusesFreedBuffers || weight.dtype != ScalarType.Float32 && !(weight.dtype == ScalarType.BFloat16 && Bf16Kernels.WidensWeights))
            return null;
        var elements = input.NumberOfElements / weight.shape[1] * weight.shape[0];
        if (elements * sizeof(float) > FreedBufferReuse.HeapBlockLimit)
            return null;
        if (feedForwardBuffer is null || feedForwardBuffer.NumberOfElements < elements)
        {
            feedForwardBuffer?.Dispose();
            // Outside the dispose scope of the layer that first asks: it lives until the call's backend is disposed.
            feedForwardBuffer = empty(elements, dtype: ScalarType.Float32).DetachFromDisposeScope();
        }
        var shape = input.shape.ToArray();
        shape[^1] = weight.shape[0];
        using var used = feedForwardBuffer.narrow(0, 0, elements); // the view keeps the storage; this handle is not needed
        return used.view(shape);
    }

    /// <summary>T5's RMS norm (<see cref="RowKernels.RmsNorm"/>) of float32 (…, d) with a float32 weight (d), rows split over the threads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe Tensor RmsNorm(Tensor hidden, Tensor weight, double eps)
    {
        if (hidden.dtype != ScalarType.Float32 || weight.dtype != ScalarType.Float32 || !weight.is_contiguous())
            return InLibtorch(() => LibtorchBackend.Instance.RmsNorm(hidden, weight, eps));
        var width = (int)hidden.shape[^1];
        var rows = hidden.NumberOfElements / width;
        var output = empty(hidden.shape, dtype: ScalarType.Float32);
        using var contiguous = hidden.contiguous();
        fixed (byte* x = contiguous.bytes)
        fixed (byte* w = weight.bytes)
        fixed (byte* y = output.bytes)
        {
            var (xAddress, wAddress, yAddress) = ((nint)x, (nint)w, (nint)y);
            ForEachBlock(rows, Math.Max(1, rows / (8 * workers.Parts)), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (first, end) => RowKernels.RmsNorm((float*)xAddress,
                (float*)wAddress, (float*)yAddress, width, (float)eps, first, end));
        }
        return output;
    }

    /// <summary>
    /// Every (batch entry, head) pair's queries through <see cref="AttentionKernels.AttendPairsInPanels"/> (from
    /// <see cref="AttentionKernels.PanelQueryMinimum"/> queries on: products in the panel kernels) or, for fewer,
    /// <see cref="AttentionKernels.OneQuery"/> per row, the pairs split over the threads, heads merged as they are written. In a generation call several queries over the same keys (the samples
    /// of a series over its encoder states, every step) multiply with that pair's keys packed at first use instead.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe Tensor Attend(Tensor queries, Tensor keys, Tensor values, Tensor? bias, Dropout dropout)
    {
        if (dropout.training || !CanAttend(queries, keys, values) || bias is { } b0 && b0.dtype != ScalarType.Float32)
            return InLibtorch(() => LibtorchBackend.Instance.Attend(queries, keys, values, bias, dropout));
        var (batch, heads, queryLength, size) = (queries.shape[0], queries.shape[1], (int)queries.shape[2], (int)queries.shape[3]);
        var (keyLength, valueSize) = ((int)keys.shape[2], (int)values.shape[3]);
        var output = empty([batch, queryLength, heads * valueSize], dtype: ScalarType.Float32);
        using var expanded = bias?.expand(batch, heads, queryLength, keyLength);
        var q = new StridedTensor(queries);
        var k = new StridedTensor(keys);
        var v = new StridedTensor(values);
        var b = expanded is null ? (StridedTensor?)null : new StridedTensor(expanded);
        var o = new StridedTensor(output);
        var pairs = batch * heads;
        var packedPairs = queryLength > 1 ? packedWeights?.KeysAndValues(keys, k, v, batch, heads, keyLength, size, valueSize) : null;
        var taken = new WorkCounter();
        workers.ForEachPart([MethodImpl(MethodImplOptions.AggressiveOptimization)] (part, parts) =>
        {
            var inPanels = packedPairs is null && queryLength >= AttentionKernels.PanelQueryMinimum;
            fixed (float* scores = Scratch(inPanels ? AttentionKernels.PanelScratchFloats(queryLength, keyLength, size, valueSize)
                : packedPairs is null ? keyLength : (long)queryLength * keyLength))
            {
                // Blocks of pairs to whichever thread is free, as the panels of a product (about eight blocks per
                // thread: a decoder step's pairs are a microsecond each). Generation's packed pairs too: each pair is
                // packed at its first use by the thread that takes it, and the join orders that before the next step.
                for (long block = taken.Next(), blockSize = Math.Max(1, pairs / (8 * parts)); block * blockSize < pairs; block = taken.Next())
                {
                    var (first, end) = (block * blockSize, Math.Min(pairs, (block + 1) * blockSize));
                    if (packedPairs is not null)
                        packedPairs.Attend(q, b, o, heads, queryLength, keyLength, valueSize, first, end, scores);
                    else if (inPanels)
                        AttentionKernels.AttendPairsInPanels(q, k, v, b, o, heads, queryLength, keyLength, size, valueSize, first, end, scores);
                    else
                        AttentionKernels.AttendPairs(q, k, v, b, o, heads, queryLength, keyLength, size, valueSize, first, end, scores);
                }
            }
        }, sharedWork: true);
        return output;
    }

    /// <summary><c>sublayerOutput += hidden</c> in place for float32 tensors of the same shape, split over the threads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe Tensor AddResidual(Tensor hidden, Tensor sublayerOutput)
    {
        if (is_grad_enabled() || hidden.dtype != ScalarType.Float32 || sublayerOutput.dtype != ScalarType.Float32
            || !sublayerOutput.is_contiguous() || !hidden.shape.SequenceEqual(sublayerOutput.shape))
            return InLibtorch(() => LibtorchBackend.Instance.AddResidual(hidden, sublayerOutput));
        using var contiguous = hidden.contiguous();
        var count = sublayerOutput.NumberOfElements;
        fixed (byte* t = sublayerOutput.bytes)
        fixed (byte* a = contiguous.bytes)
        {
            var (tAddress, aAddress) = ((nint)t, (nint)a);
            ForEachBlock(count, Math.Max(16, count / (8 * workers.Parts) / 16 * 16), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (first, end) =>
                RowKernels.AddInPlace((float*)tAddress, (float*)aAddress, first, end));
        }
        return sublayerOutput;
    }

    public void Dispose()
    {
        workers.Dispose();
        packedWeights?.Dispose();
        feedForwardBuffer?.Dispose();
        widenedFirst?.Dispose();
        widenedSecond?.Dispose();
        if (composedWeights is not null)
            foreach (var composed in composedWeights.Values)
                composed.Dispose();
    }

    /// <summary>
    /// <c>input · weightᵀ (+ bias)</c>, then relu if asked, for float32 input (…, in), weight (out, in) and bias (out)
    /// → (…, out).
    /// </summary>
    /// <param name="into">A contiguous float32 tensor of the output's shape to write to (float32 weights only), else a new one.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe Tensor Multiply(Tensor input, Tensor weight, Tensor? bias, bool relu, Tensor? into = null)
    {
        if (weight.dtype == ScalarType.BFloat16 && Bf16Kernels.IsSupported)
            return MultiplyBf16(input, weight, bias, relu);
        // Otherwise (Bf16Kernels.WidensWeights) a bfloat16 weight is widened panel by panel as it is packed
        // (PackedWeight.PackPanelBf16): the float32 kernels' arithmetic on the same weights.
        var widens = weight.dtype == ScalarType.BFloat16;
        var (outFeatures, inFeatures) = ((int)weight.shape[0], (int)weight.shape[1]);
        var rows = (int)(input.NumberOfElements / inFeatures);
        var shape = input.shape.ToArray();
        shape[^1] = outFeatures;
        var output = into ?? empty(shape, dtype: ScalarType.Float32);
        using var contiguous = input.contiguous();
        using var biasValues = bias?.contiguous();
        fixed (byte* x = contiguous.bytes)
        fixed (byte* w = weight.bytes)
        fixed (byte* y = output.bytes)
        fixed (byte* bb = biasValues is null ? null : biasValues.bytes)
        {
            var (xAddress, wAddress, yAddress, bAddress) = ((nint)x, (nint)w, (nint)y, (nint)bb);
            if (packedWeights is not null)
            {
                var (panels, firstUse) = packedWeights.Weight(weight);
                if (firstUse)
                {
                    // Each thread packs the panels it multiplies with (a panel must be whole before anyone reads it).
                    workers.ForEachPart([MethodImpl(MethodImplOptions.AggressiveOptimization)] (part, parts) =>
                    {
                        var (first, end) = (panels.PanelCount * part / parts, panels.PanelCount * (part + 1) / parts);
                        panels.Pack(first, end);
                        panels.Multiply((float*)xAddress, inFeatures, 0, rows, (float*)yAddress, outFeatures, first, end,
                            (float*)bAddress, relu);
                    });
                    return output;
                }
                // Packed panels and their row blocks to whichever thread is free, as in the batch products below, with
                // nothing to pack: a decoder step makes ≈ 60 of these joins, each a fraction of a millisecond.
                var packedSchedule = panelSchedule;
                packedSchedule.Reset(panels.PanelCount, rows);
                workers.ForEachPart([MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, parts) =>
                {
                    var work = new PackedPanelWork(panels, (float*)xAddress, (float*)yAddress, (float*)bAddress, relu, parts);
                    packedSchedule.Run(ref work, openBlocksToJoin: 1);
                }, sharedWork: true);
                return output;
            }
            if (rows <= DotRowLimit && !widens)
            {
                // Groups of four features in blocks to whichever thread is free: with fixed halves the helper thread
                // waited for the calling thread's half in 4 % of a two-thread Chronos-Bolt call (its decoder step).
                var groups = (outFeatures + 3) / 4;
                ForEachBlock(groups, Math.Max(1, groups / (8 * workers.Parts)), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (first, end) => DotKernels.Multiply((float*)xAddress, rows,
                    inFeatures, (float*)wAddress, (int)Math.Min(outFeatures, first * 4), (int)Math.Min(outFeatures, end * 4),
                    (float*)yAddress, outFeatures, bAddress == 0 ? null : (float*)bAddress, relu));
                return output;
            }
            var panelCount = (outFeatures + PanelKernels.Width - 1) / PanelKernels.Width;
            var schedule = panelSchedule;
            schedule.Reset(panelCount, rows);
            workers.ForEachPart([MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, parts) =>
            {
                // Panels handed out one at a time to whichever thread is free (a panel's outputs are the same chains of
                // FMAs on any thread): on a shared machine the two threads rarely run at the same speed, and with halves
                // fixed in advance the faster one waited for the other for up to a third of a one-series call. A thread
                // that finds no panel left takes row blocks of panels still being multiplied (PanelRowSchedule), only
                // where at least two are open: packing a panel again costs about a tenth of its arithmetic.
                fixed (float* buffer = PanelBuffer((long)inFeatures * PanelKernels.Width))
                {
                    var work = new PanelByPanelWork((float*)xAddress, (float*)wAddress, (float*)yAddress, (float*)bAddress, relu,
                        outFeatures, inFeatures, parts, Aligned(buffer), widens);
                    schedule.Run(ref work, openBlocksToJoin: 2);
                }
            }, sharedWork: true);
        }
        return output;
    }

    /// <summary>
    /// One thread's work on a product whose weight is packed panel by panel as it is taken: each panel packed into the
    /// thread's buffer, then its row blocks; while a panel taken whole is multiplied, the weights of the panel this
    /// thread probably takes next come into the L2 cache (spread over the blocks, 16·inFeatures floats each: four
    /// passes of the panel kernels, <see cref="PackedWeight.RowsPerPass"/> rows each).
    /// </summary>
    /// <param name="bfloat16">The weight's elements are bfloat16 (<paramref name="w"/> points at them), widened as they are packed.</param>
    private unsafe struct PanelByPanelWork(float* x, float* w, float* y, float* bias, bool relu, int outFeatures, int inFeatures,
        int parts, float* panelBuffer, bool bfloat16 = false) : IPanelRowWork
    {
        private float* prefetch;
        private long prefetchFloats;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void BeginPanel(int panel, bool whole)
        {
            var next = Math.Min((long)(panel + parts) * PanelKernels.Width, outFeatures);
            var weights = (Math.Min(outFeatures, next + PanelKernels.Width) - next) * inFeatures;
            if (bfloat16)
            {
                PackedWeight.PackPanelBf16((ushort*)w, inFeatures, outFeatures, inFeatures, panel, panelBuffer);
                // The prefetch range is counted in floats: the next panel's bfloat16 weights fill half as many.
                prefetch = whole ? (float*)((ushort*)w + next * inFeatures) : null;
                prefetchFloats = whole ? (weights + 1) / 2 : 0;
                return;
            }
            PackedWeight.PackPanel(w, inFeatures, 1, outFeatures, inFeatures, panel, panelBuffer);
            prefetch = whole ? w + next * inFeatures : null;
            prefetchFloats = whole ? weights : 0;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void MultiplyRows(int panel, int block, int firstRow, int endRow)
        {
            var from = PrefetchFrom(prefetch, prefetchFloats, block, inFeatures, out var floats);
            PackedWeight.MultiplyPanelRows(x, firstRow, endRow, panelBuffer, outFeatures, inFeatures, y, bias, relu, panel, from, floats);
        }

        /// <summary>
        /// The part of a panel's prefetch range left to row block <paramref name="block"/>: each block before it brought in
        /// 16·<paramref name="inFeatures"/> floats (its four passes of the panel kernels, 4·inFeatures each); null past its end.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public static float* PrefetchFrom(float* prefetch, long prefetchFloats, int block, long inFeatures, out long floats)
        {
            var skipped = block * 16L * inFeatures;
            floats = Math.Max(0, prefetchFloats - skipped);
            return skipped < prefetchFloats ? prefetch + skipped : null;
        }
    }

    /// <summary>
    /// One thread's work on a product with weights packed whole (generation): nothing to pack per panel; while a panel
    /// taken whole is multiplied, the packed panel this thread probably takes next (<paramref name="parts"/> on: the
    /// threads take panels in turn) comes into the L2 cache, spread over the first blocks as in
    /// <see cref="PanelByPanelWork"/>: every decoder step reads all the packed weights again (≈ 92 MB for T5-small's
    /// decoder and output layer), from memory, not from any cache.
    /// </summary>
    private unsafe struct PackedPanelWork(PackedWeight panels, float* x, float* y, float* bias, bool relu, int parts) : IPanelRowWork
    {
        private float* prefetch;
        private long prefetchFloats;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void BeginPanel(int panel, bool whole)
        {
            var next = panel + parts;
            prefetch = whole && next < panels.PanelCount ? panels.PanelStart(next) : null;
            prefetchFloats = prefetch is null ? 0 : (long)panels.InFeatures * PanelKernels.Width;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void MultiplyRows(int panel, int block, int firstRow, int endRow)
        {
            var from = PanelByPanelWork.PrefetchFrom(prefetch, prefetchFloats, block, panels.InFeatures, out var floats);
            panels.Multiply(x, panels.InFeatures, firstRow, endRow, y, panels.OutFeatures, panel, bias, relu, from, floats);
        }
    }

    /// <summary>
    /// <see cref="Multiply"/> for a bfloat16 weight (the opt-in bfloat16 path): <see cref="Bf16Kernels"/>, output
    /// panels handed to whichever thread is free (with fixed halves the faster thread waited for the other at every
    /// product's join), float32 in and out as torch.autocast's products.
    /// </summary>
    private unsafe Tensor MultiplyBf16(Tensor input, Tensor weight, Tensor? bias, bool relu)
    {
        var (outFeatures, inFeatures) = (weight.shape[0], weight.shape[1]);
        var rows = input.NumberOfElements / inFeatures;
        var shape = input.shape.ToArray();
        shape[^1] = outFeatures;
        var output = empty(shape, dtype: ScalarType.Float32);
        using var contiguous = input.contiguous();
        using var biasValues = bias?.contiguous();
        var panelCount = (outFeatures + Bf16Kernels.PanelWidth - 1) / Bf16Kernels.PanelWidth;
        fixed (byte* x = contiguous.bytes)
        fixed (byte* w = weight.bytes)
        fixed (byte* y = output.bytes)
        fixed (byte* bb = biasValues is null ? null : biasValues.bytes)
        {
            int* nextPanel = stackalloc int[1];
            *nextPanel = 0;
            var (xAddress, wAddress, yAddress, bAddress, counter) = ((nint)x, (nint)w, (nint)y, (nint)bb, (nint)nextPanel);
            workers.ForEachPart([MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, _) => Bf16Kernels.Linear((float*)xAddress, rows, (ushort*)wAddress, outFeatures,
                inFeatures, (float*)yAddress, (float*)bAddress, relu, 0, panelCount, (int*)counter));
        }
        return output;
    }

    /// <summary>
    /// Calls <paramref name="work"/>(first, end) for the blocks of <paramref name="blockSize"/> (the last one shorter)
    /// that make up 0 … <paramref name="count"/>−1, each block on whichever thread is free.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ForEachBlock(long count, long blockSize, Action<long, long> work)
    {
        var taken = new WorkCounter();
        workers.ForEachPart([MethodImpl(MethodImplOptions.AggressiveOptimization)] (_, _) =>
        {
            for (long block = taken.Next(); block * blockSize < count; block = taken.Next())
                work(block * blockSize, Math.Min(count, (block + 1) * blockSize));
        }, sharedWork: true);
    }

    /// <summary>A libtorch operation with the call's threads (libtorch is single-threaded between the kernels' jobs).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Tensor InLibtorch(Func<Tensor> operation)
    {
        if (workers.Parts == 1)
            return operation();
        set_num_threads(workers.Parts);
        try
        {
            return operation();
        }
        finally
        {
            set_num_threads(1);
        }
    }

    /// <summary>float32 input without autograd and a <see cref="IsKernelWeight"/> weight of matching width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Accepts(Tensor input, Tensor weight) =>
        input.dtype == ScalarType.Float32 && IsKernelWeight(weight) && input.shape[^1] == weight.shape[1] && !is_grad_enabled();

    /// <summary>
    /// A weight the kernels read in place: 2-D, contiguous (as nn.Linear keeps it), float32 — or bfloat16, through the
    /// native bfloat16 kernels where they run (<see cref="Bf16Kernels.IsSupported"/>), else widened as its panels are
    /// packed (<see cref="Bf16Kernels.WidensWeights"/>), panel by panel in a batch call and whole in a generation call.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsKernelWeight(Tensor weight) =>
        (weight.dtype == ScalarType.Float32 || weight.dtype == ScalarType.BFloat16 && (Bf16Kernels.IsSupported || Bf16Kernels.WidensWeights))
        && weight.dim() == 2 && weight.is_contiguous();

    /// <summary>
    /// Float32 tensors whose last dimension is contiguous (as the projections and caches are): the kernels read them in
    /// place, without autograd.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool CanAttend(Tensor queries, Tensor keys, Tensor values) =>
        !is_grad_enabled() && new[] { queries, keys, values }.All(t => t.dtype == ScalarType.Float32 && t.dim() == 4 && t.stride(-1) == 1);

    /// <summary>This thread's panel buffer (pinned, with room to align its start to 64 bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] PanelBuffer(long floats)
    {
        if (panelBuffer is null || panelBuffer.Length < floats + 16)
            panelBuffer = GC.AllocateUninitializedArray<float>((int)floats + 16, pinned: true);
        return panelBuffer;
    }

    /// <summary>Per-thread scratch of at least <paramref name="count"/> floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float[] Scratch(long count)
    {
        if (scratchBuffer is null || scratchBuffer.Length < count)
            scratchBuffer = new float[count];
        return scratchBuffer;
    }

    private static unsafe float* Aligned(float* start) => (float*)(((nint)start + 63) & ~(nint)63);
}
