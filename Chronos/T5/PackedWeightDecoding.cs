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

    private static readonly Lock WorkersGate = new();
    private static PartitionedWorkers? sharedWorkers;

    [ThreadStatic] private static PackedWeightDecoding? current;

    // Keyed by the weight's data address and shape: TorchSharp may hand out a new Parameter object per property read.
    private readonly Dictionary<(nint Address, long Rows, long Columns), PackedWeight> packed = [];
    private readonly PartitionedWorkers? workers;
    private readonly bool ownsWorkers;
    private readonly PanelArena arena;
    private readonly bool ownsArena;
    private readonly int previousThreads;

    private PackedWeightDecoding(PanelArena? reusable)
    {
        // The caller's arena keeps its pages from call to call; if another call is using it, this one takes its own.
        ownsArena = reusable is null || !reusable.TryAcquire();
        arena = ownsArena ? new PanelArena() : reusable!;
        arena.Reset();
        previousThreads = get_num_threads();
        if (previousThreads > 1)
        {
            // The helper threads are kept for the next call; a call running alongside gets threads of its own, as it
            // would get its own OpenMP team from libtorch.
            ownsWorkers = !WorkersGate.TryEnter();
            workers = ownsWorkers ? new PartitionedWorkers(previousThreads) : SharedWorkers(previousThreads);
        }
        set_num_threads(1);
        current = this;
    }

    /// <summary>The helper threads kept between calls (the caller holds <see cref="WorkersGate"/>).</summary>
    private static PartitionedWorkers SharedWorkers(int parts)
    {
        if (sharedWorkers is null || sharedWorkers.Parts != parts)
        {
            sharedWorkers?.Dispose();
            sharedWorkers = new PartitionedWorkers(parts);
        }
        return sharedWorkers;
    }

    /// <summary>The session of the calling thread, or null outside a packed generation call.</summary>
    public static PackedWeightDecoding? Current => current;

    /// <summary>Number of threads the work is split over: libtorch's thread count when the session began.</summary>
    public int Parts => workers?.Parts ?? 1;

    /// <summary>
    /// Starts a session for <paramref name="rows"/> float32 decoder rows, packing into <paramref name="arena"/> (or
    /// memory of its own), or returns null where it does not apply.
    /// </summary>
    public static PackedWeightDecoding? Begin(long rows, ScalarType dtype, PanelArena? arena = null) =>
        current is null && rows <= MaxRows && dtype == ScalarType.Float32 && PackedWeight.IsSupported && !is_grad_enabled()
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
                panels.Multiply((float*)xAddress, rows, (float*)yAddress, first, end);
            });
        }
        return output;
    }

    private static unsafe nint Address(Tensor weight)
    {
        fixed (byte* data = weight.bytes)
            return (nint)data;
    }

    /// <summary>Calls <paramref name="work"/>(part, parts) for every part at once, part 0 on the calling thread.</summary>
    public void ForEachPart(Action<int, int> work)
    {
        if (workers is null)
        {
            work(0, 1);
            return;
        }
        var parts = workers.Parts;
        workers.Run(part => work(part, parts));
    }

    public void Dispose()
    {
        current = null;
        set_num_threads(previousThreads);
        if (ownsWorkers)
            workers!.Dispose();
        else if (workers is not null)
            WorkersGate.Exit();
        packed.Clear();
        if (ownsArena)
            arena.Dispose();
        else
            arena.Release();
    }
}
