using Forecast.Chronos.Kernels;
using Forecast.Chronos.Parallelism;
using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>
/// For one generation call with few decoder rows (one or a few series × num_samples), the calling thread's decoder
/// steps multiply with packed weights (<see cref="PackedWeight"/>) and split every matrix product (by output panels)
/// and every attention (by batch entries or heads) over as many threads as libtorch was given — its own helper threads, while libtorch
/// itself runs single-threaded. <see cref="MixedPrecision.Dense"/>, <see cref="T5Attention"/> and the logits consult
/// <see cref="Current"/>; outside a call nothing changes.
/// </summary>
/// <remarks>
/// Why not libtorch's own threads: at 20 rows its sgemm repacks the weight on every call and gained only 1.3× from a
/// second thread, and each of the ≈ 60 OpenMP regions per step ends in a barrier. Packed once per call, a step streams
/// each weight once and the two threads each take half of the output features.
/// </remarks>
internal sealed class PackedWeightDecoding : IDisposable
{
    /// <summary>
    /// Up to this many decoder rows the packed products are used. At 320 rows (16 series × 20 samples) they are only
    /// as fast as libtorch's sgemm on two threads, while the element-wise work then profits from libtorch's threads.
    /// </summary>
    public const long MaxRows = 128;

    [ThreadStatic] private static PackedWeightDecoding? current;
    [ThreadStatic] private static float[]? scratchBuffer;

    // Keyed by the weight's data address and shape: TorchSharp may hand out a new Parameter object per property read.
    private readonly Dictionary<(nint Address, long Rows, long Columns), PackedWeight> packed = [];
    private readonly Dictionary<(nint Address, long Batch, long Length), PackedPairs> packedAttention = [];
    private readonly WorkerLease workers;
    private readonly PanelArena arena;
    private readonly bool ownsArena;

    private PackedWeightDecoding(PanelArena? reusable)
    {
        // The caller's arena keeps its pages from call to call; if another call is using it, this one takes its own.
        ownsArena = reusable is null || !reusable.TryAcquire();
        arena = ownsArena ? new PanelArena() : reusable!;
        arena.Reset();
        workers = new WorkerLease();
        current = this;
    }

    /// <summary>The session of the calling thread, or null outside a packed generation call.</summary>
    public static PackedWeightDecoding? Current => current;

    /// <summary>Number of threads the work is split over: libtorch's thread count when the session began.</summary>
    public int Parts => workers.Parts;

    /// <summary>
    /// Starts a session for <paramref name="rows"/> float32 decoder rows, packing into <paramref name="arena"/> (or
    /// memory of its own), or returns null where it does not apply.
    /// </summary>
    public static PackedWeightDecoding? Begin(long rows, ScalarType dtype, PanelArena? arena = null) =>
        current is null && Float32InferenceSession.Current is null && rows <= MaxRows && dtype == ScalarType.Float32 && PackedWeight.IsSupported && !is_grad_enabled()
            ? new PackedWeightDecoding(arena)
            : null;

    /// <summary><c>input · weightᵀ</c> for float32 input (…, in) and weight (out, in) → (…, out).</summary>
    public unsafe Tensor Multiply(Tensor input, Tensor weight)
    {
        var key = (Address(weight), weight.shape[0], weight.shape[1]);
        var firstUse = !packed.TryGetValue(key, out var known);
        var panels = known ?? new PackedWeight(weight, arena);
        if (firstUse)
            packed[key] = panels;
        var rows = (int)(input.NumberOfElements / panels.InFeatures);
        var shape = input.shape.ToArray();
        shape[^1] = panels.OutFeatures;
        var output = empty(shape, dtype: ScalarType.Float32);
        using var contiguous = input.contiguous();
        fixed (byte* x = contiguous.bytes)
        fixed (byte* y = output.bytes)
        {
            var (xAddress, yAddress) = ((nint)x, (nint)y);
            ForEachPart((part, parts) =>
            {
                var (first, end) = (panels.PanelCount * part / parts, panels.PanelCount * (part + 1) / parts);
                if (firstUse)
                    panels.Pack(first, end);       // each thread packs the panels it multiplies with
                panels.Multiply((float*)xAddress, panels.InFeatures, rows, (float*)yAddress, panels.OutFeatures, first, end);
            });
        }
        return output;
    }

    /// <summary>
    /// T5 attention (no 1/√d) of float32 queries (B, h, Lq, d) over keys (B, h, Lk, d) and values (B, h, Lk, dv),
    /// plus an additive bias broadcastable to (B, h, Lq, Lk) → heads merged, (B, Lq, h·dv). The (batch entry, head)
    /// pairs are split over the threads. One query per row (a step's self-attention over the cached positions) runs
    /// <see cref="AttentionKernels.OneQuery"/>; several queries (the samples of a series over its encoder states, the
    /// same keys every step) multiply with that pair's keys packed at first use and its values as they are.
    /// </summary>
    public unsafe Tensor Attend(Tensor queries, Tensor keys, Tensor values, Tensor? bias)
    {
        var (batch, heads, queryLength, size) = (queries.shape[0], queries.shape[1], (int)queries.shape[2], (int)queries.shape[3]);
        var (keyLength, valueSize) = ((int)keys.shape[2], (int)values.shape[3]);
        var output = empty([batch, queryLength, heads * valueSize], dtype: ScalarType.Float32);
        using var scope = NewDisposeScope();
        if (!CanAttend(queries, keys, values))
            throw new ArgumentException("Packed attention takes float32 queries, keys and values with a contiguous last dimension.");
        var q = new StridedTensor(queries);
        var k = new StridedTensor(keys);
        var v = new StridedTensor(values);
        var b = bias is null ? (StridedTensor?)null : new StridedTensor(bias.expand(batch, heads, queryLength, keyLength));
        var o = new StridedTensor(output);
        var pairs = batch * heads;
        var packedPairs = queryLength > 1 ? PackedKeysAndValues(keys, k, v, batch, heads, keyLength, size, valueSize) : null;
        ForEachPart((part, parts) =>
        {
            var scratch = Scratch((long)queryLength * keyLength);
            fixed (float* scores = scratch)
            {
                var (firstPair, endPair) = (pairs * part / parts, pairs * (part + 1) / parts);
                if (packedPairs is null)
                {
                    AttentionKernels.AttendPairs(q, k, v, b, o, heads, queryLength, keyLength, size, valueSize, firstPair, endPair, scores);
                    return;
                }
                for (var pair = firstPair; pair < endPair; pair++)
                {
                    var (entry, head) = (pair / heads, pair % heads);
                    var target = o.At(0, entry, 0) + head * valueSize;
                    var (packedKeys, packedValues) = packedPairs.Get(pair);
                    packedKeys.Multiply(q.At(entry, head, 0), q.Stride(2), queryLength, scores, keyLength, 0, packedKeys.PanelCount);
                    for (var row = 0; row < queryLength; row++)
                    {
                        var rowScores = scores + (long)row * keyLength;
                        if (b is { } bb)
                            AttentionKernels.AddBias(rowScores, bb.At(entry, head, row), bb.Stride(3), keyLength);
                        AttentionKernels.Softmax(rowScores, keyLength);
                    }
                    packedValues.Multiply(scores, keyLength, queryLength, target, o.Stride(2), 0, packedValues.PanelCount);
                }
            }
        });
        return output;
    }

    /// <summary>The (batch entry, head) pairs' keys and values of one cross-attention, packed once per call.</summary>
    private unsafe PackedPairs PackedKeysAndValues(Tensor keys, StridedTensor k, StridedTensor v, long batch, long heads,
        int keyLength, int size, int valueSize)
    {
        var key = ((nint)k.At(0, 0, 0), keys.shape[0], keys.shape[2]);
        if (packedAttention.TryGetValue(key, out var known))
            return known;
        // Allocated here (the arena is single-threaded); each pair is packed by the thread that attends it.
        var pairs = new PackedPairs(Enumerable.Range(0, (int)(batch * heads)).Select(pair =>
        {
            var (entry, head) = (pair / heads, pair % heads);
            // Values are used in place when d_v fills whole panels (their d_v floats per position are contiguous).
            var values = valueSize % PanelKernels.Width == 0
                ? PackedWeight.InPlace(v.At(entry, head, 0), valueSize, keyLength, v.Stride(2))
                : new PackedWeight(v.At(entry, head, 0), valueSize, keyLength, 1, v.Stride(2), arena);
            return (new PackedWeight(k.At(entry, head, 0), keyLength, size, k.Stride(2), 1, arena), values);
        }).ToArray());
        packedAttention[key] = pairs;
        return pairs;
    }

    /// <summary>
    /// True for float32 tensors whose last dimension is contiguous (as T5's projections and caches are): the kernels
    /// read them in place, and a cross-attention's keys and values must stay where they are for the whole call.
    /// </summary>
    public static bool CanAttend(Tensor queries, Tensor keys, Tensor values) =>
        new[] { queries, keys, values }.All(t => t.dtype == ScalarType.Float32 && t.dim() == 4 && t.stride(-1) == 1);

    /// <summary>Per-thread scratch of at least <paramref name="count"/> floats.</summary>
    private static float[] Scratch(long count)
    {
        if (scratchBuffer is null || scratchBuffer.Length < count)
            scratchBuffer = new float[count];
        return scratchBuffer;
    }

    private static unsafe nint Address(Tensor weight)
    {
        fixed (byte* data = weight.bytes)
            return (nint)data;
    }

    /// <summary>Calls <paramref name="work"/>(part, parts) for every part at once, part 0 on the calling thread.</summary>
    public void ForEachPart(Action<int, int> work) => workers.ForEachPart(work);

    public void Dispose()
    {
        current = null;
        workers.Dispose();
        packed.Clear();
        packedAttention.Clear();
        if (ownsArena)
            arena.Dispose();
        else
            arena.Release();
    }
}

/// <summary>
/// Packed keys and values per (batch entry, head) of one cross-attention; each pair is packed on first use by the
/// thread that attends it (pairs go to the same thread every step).
/// </summary>
internal sealed class PackedPairs((PackedWeight Keys, PackedWeight Values)[] pairs)
{
    private readonly bool[] packed = new bool[pairs.Length];

    public (PackedWeight Keys, PackedWeight Values) Get(long pair)
    {
        var (keys, values) = pairs[pair];
        if (!packed[pair])
        {
            keys.Pack(0, keys.PanelCount);
            values.Pack(0, values.PanelCount);
            packed[pair] = true;
        }
        return (keys, values);
    }
}
