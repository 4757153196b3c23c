using Forecast.Chronos.Kernels;
using static TorchSharp.torch;

namespace Forecast.Chronos.Inference;

/// <summary>
/// The packed weights of one generation call (<see cref="KernelBackend.ForGeneration"/>): every weight packed whole at
/// first use, and the keys and values of every (batch entry, head) pair of an attention whose keys stay the same all
/// call (the samples of a series over its encoder states). Keyed by data address and shape: TorchSharp may hand out a
/// new Parameter object per property read, and the tensors stay where they are for the call.
/// </summary>
internal sealed class PackedWeightCache : IDisposable
{
    private readonly Dictionary<(nint Address, long Rows, long Columns), PackedWeight> weights = [];
    private readonly Dictionary<(nint Address, long Batch, long Length), PackedPairs> attention = [];
    private readonly PanelArena arena;
    private readonly bool ownsArena;

    /// <param name="reusable">Pages kept between calls; if another call is using them, this one takes its own.</param>
    public PackedWeightCache(PanelArena? reusable)
    {
        ownsArena = reusable is null || !reusable.TryAcquire();
        arena = ownsArena ? new PanelArena() : reusable!;
        arena.Reset();
    }

    /// <summary>The packed panels of <paramref name="weight"/> and whether this is their first use (to be packed now).</summary>
    public (PackedWeight Panels, bool FirstUse) Weight(Tensor weight)
    {
        var key = (Address(weight), weight.shape[0], weight.shape[1]);
        if (weights.TryGetValue(key, out var known))
            return (known, false);
        var panels = new PackedWeight(weight, arena);
        weights[key] = panels;
        return (panels, true);
    }

    /// <summary>The (batch entry, head) pairs' keys and values of one attention over fixed keys, packed once per call.</summary>
    public unsafe PackedPairs KeysAndValues(Tensor keys, StridedTensor k, StridedTensor v, long batch, long heads,
        int keyLength, int size, int valueSize)
    {
        var key = ((nint)k.At(0, 0, 0), keys.shape[0], keys.shape[2]);
        if (attention.TryGetValue(key, out var known))
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
        attention[key] = pairs;
        return pairs;
    }

    public void Dispose()
    {
        weights.Clear();
        attention.Clear();
        if (ownsArena)
            arena.Dispose();
        else
            arena.Release();
    }

    private static unsafe nint Address(Tensor weight)
    {
        fixed (byte* data = weight.bytes)
            return (nint)data;
    }
}

/// <summary>
/// Packed keys and values per (batch entry, head) of one attention over fixed keys; each pair is packed at its first use
/// by the thread that attends it then (later steps hand pairs to whichever thread is free).
/// </summary>
internal sealed class PackedPairs((PackedWeight Keys, PackedWeight Values)[] pairs)
{
    private readonly bool[] packed = new bool[pairs.Length];

    /// <summary>
    /// Attention of pairs <paramref name="firstPair"/> … <paramref name="endPair"/>−1: the queries of a pair times its
    /// packed keys, bias, softmax, times its values, written into the merged heads of <paramref name="o"/>.
    /// <paramref name="scores"/> holds queryLength × keyLength floats.
    /// </summary>
    public unsafe void Attend(StridedTensor q, StridedTensor? b, StridedTensor o, long heads, int queryLength, int keyLength,
        int valueSize, long firstPair, long endPair, float* scores)
    {
        for (var pair = firstPair; pair < endPair; pair++)
        {
            var (entry, head) = (pair / heads, pair % heads);
            var target = o.At(0, entry, 0) + head * valueSize;
            var (keys, values) = Get(pair);
            keys.Multiply(q.At(entry, head, 0), q.Stride(2), queryLength, scores, keyLength, 0, keys.PanelCount);
            for (var row = 0; row < queryLength; row++)
            {
                var rowScores = scores + (long)row * keyLength;
                if (b is { } bias)
                    AttentionKernels.AddBias(rowScores, bias.At(entry, head, row), bias.Stride(3), keyLength);
                AttentionKernels.Softmax(rowScores, keyLength);
            }
            values.Multiply(scores, keyLength, queryLength, target, o.Stride(2), 0, values.PanelCount);
        }
    }

    private (PackedWeight Keys, PackedWeight Values) Get(long pair)
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
