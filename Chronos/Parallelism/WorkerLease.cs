using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Forecast.Chronos.Parallelism;

/// <summary>
/// The threads of one call that splits its own products (<see cref="T5.PackedWeightDecoding"/>,
/// <see cref="T5.Float32InferenceSession"/>): as many parts as libtorch had threads when the call began, while libtorch
/// itself runs single-threaded until <see cref="Dispose"/> (its OpenMP workers would otherwise spin on the cores the
/// helpers use). The helper threads are kept for the next call; a call running alongside gets threads of its own, as it
/// would get its own OpenMP team from libtorch.
/// </summary>
internal sealed class WorkerLease : IDisposable
{
    private static readonly Lock SharedGate = new();
    private static PartitionedWorkers? shared;

    private readonly PartitionedWorkers? workers;
    private readonly bool ownsWorkers;
    private readonly int previousThreads;

    public WorkerLease()
    {
        previousThreads = get_num_threads();
        if (previousThreads > 1)
        {
            ownsWorkers = !SharedGate.TryEnter();
            workers = ownsWorkers ? new PartitionedWorkers(previousThreads) : Shared(previousThreads);
        }
        set_num_threads(1);
    }

    /// <summary>Number of parts the work is split into: libtorch's thread count when the lease began.</summary>
    public int Parts => workers?.Parts ?? 1;

    /// <summary>The helper threads kept between calls (the caller holds <see cref="SharedGate"/>).</summary>
    private static PartitionedWorkers Shared(int parts)
    {
        if (shared is null || shared.Parts != parts)
        {
            shared?.Dispose();
            shared = new PartitionedWorkers(parts);
        }
        return shared;
    }

    /// <summary>Calls <paramref name="work"/>(part, parts) for every part at once, part 0 on the calling thread.</summary>
    /// <param name="sharedWork">As <see cref="PartitionedWorkers.Run"/>: the parts take work from one pool (a helper not yet started is skipped).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ForEachPart(Action<int, int> work, bool sharedWork = false)
    {
        if (workers is null)
        {
            work(0, 1);
            return;
        }
        var parts = workers.Parts;
        workers.Run(part => work(part, parts), sharedWork);
    }

    public void Dispose()
    {
        set_num_threads(previousThreads);
        if (ownsWorkers)
            workers!.Dispose();
        else if (workers is not null)
            SharedGate.Exit();
    }
}
