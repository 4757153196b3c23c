using System.Runtime.CompilerServices;
namespace Forecast.Chronos.Parallelism;

/// <summary>
/// Hands out 0, 1, 2, … to the threads of one job, each number once: how a job's blocks (or panels) go to whichever
/// thread is free instead of fixed shares, which the faster thread of a shared machine would wait on at every join.
/// </summary>
internal sealed class WorkCounter
{
    private int next = -1;

    /// <summary>The next number nobody has taken.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Next() => Interlocked.Increment(ref next);

    /// <summary>Starts again from 0 (before the threads of the next job start taking).</summary>
    public void Reset() => Volatile.Write(ref next, -1);
}
