using System.Diagnostics;
using System.Runtime.CompilerServices;
using static TorchSharp.torch;

namespace Forecast.Chronos.Parallelism;

/// <summary>
/// Runs one piece of work in <see cref="Parts"/> parts at once: part 0 on the calling thread, the others on helper
/// threads that live as long as this object. Each helper uses one libtorch thread and no autograd, so its libtorch
/// calls never open OpenMP teams of their own.
/// </summary>
/// <remarks>
/// A decoder step hands out ≈ 60 jobs of 20–500 µs with a little serial work between them. Waking a blocked thread
/// costs tens of microseconds on a virtual machine, so a helper first polls for the next job for up to
/// <see cref="PollTime"/> (as OpenMP's workers spin before they sleep) and only then blocks on a semaphore, where an
/// idle helper costs nothing. 2 ms (OpenMP's default spin is of that order): between Chronos-Bolt's products the calling
/// thread runs up to a millisecond of libtorch work, which should not send the helpers to sleep; paired runs of
/// one-series Bolt forecasts were 0–25 % faster than with 0.5 ms, never slower.
/// </remarks>
internal sealed class PartitionedWorkers : IDisposable
{
    private static readonly long PollTime = Stopwatch.Frequency / 500;    // 2 ms

    private readonly Thread[] helpers;
    private readonly SemaphoreSlim[] wakeUps;
    private readonly int[] sleeping;
    private readonly int[] claimed;     // per part: the last generation claimed, by its helper to run it or by the caller to skip it
    private readonly Exception?[] failures;
    private readonly CountdownEvent ready;
    private Action<int>? job;
    private int generation;
    private int pending;
    private volatile bool stopping;

    public PartitionedWorkers(int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 2);
        Parts = parts;
        wakeUps = Enumerable.Range(1, parts - 1).Select(_ => new SemaphoreSlim(0)).ToArray();
        sleeping = new int[parts];
        claimed = new int[parts];
        failures = new Exception?[parts];
        ready = new CountdownEvent(parts - 1);
        helpers = Enumerable.Range(1, parts - 1)
            .Select(part => new Thread(() => HelperLoop(part)) { IsBackground = true, Name = $"chronos-part-{part}" })
            .ToArray();
        foreach (var helper in helpers)
            helper.Start();
        // The helpers set their libtorch thread count before the caller can change it back (it is also a global default).
        ready.Wait();
    }

    public int Parts { get; }

    /// <summary>Calls <paramref name="work"/>(part) for every part at once and returns when all are done.</summary>
    /// <param name="sharedWork">
    /// The parts take their work from one pool until it is empty (blocks handed to whichever thread is free), so when
    /// part 0 returns nothing is left for a part that has not started: such helpers are skipped instead of awaited. A
    /// helper that is not running — its core taken by another thread, e.g. the runtime's tiered JIT recompiling methods
    /// during a process's first calls — then no longer holds up every join of the call until it is scheduled again;
    /// the caller does the work alone meanwhile. A helper that has started is awaited as before. (The panel works'
    /// prefetch of the next panel guesses panel + parts, which is wrong while the caller works alone: a cache miss, not
    /// another result.)
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(Action<int> work, bool sharedWork = false)
    {
        job = work;
        Volatile.Write(ref pending, Parts - 1);
        var current = Interlocked.Increment(ref generation);
        for (var part = 1; part < Parts; part++)
            if (Interlocked.CompareExchange(ref sleeping[part], 0, 1) == 1)
                wakeUps[part - 1].Release();
        try
        {
            work(0);
        }
        catch (Exception error)
        {
            failures[0] = error;
        }
        if (sharedWork)
            for (var part = 1; part < Parts; part++)
                if (Interlocked.CompareExchange(ref claimed[part], current, current - 1) == current - 1)
                    Interlocked.Decrement(ref pending);
        var spin = new SpinWait();
        while (Volatile.Read(ref pending) != 0)
            spin.SpinOnce(sleep1Threshold: -1);
        job = null;
        var failed = failures.Where(f => f is not null).ToArray();
        Array.Clear(failures);
        if (failed.Length > 0)
            throw new AggregateException(failed!);
    }

    private void HelperLoop(int part)
    {
        set_num_threads(1);
        ready.Signal();
        var seen = 0;
        while (true)
        {
            seen = AwaitNextJob(part, seen);
            if (stopping)
                return;
            // Skipped when the caller claimed this generation first (shared work it finished alone, see Run).
            if (Interlocked.CompareExchange(ref claimed[part], seen, seen - 1) != seen - 1)
                continue;
            try
            {
                using var noGrad = no_grad();
                job!(part);
            }
            catch (Exception error)
            {
                failures[part] = error;
            }
            Interlocked.Decrement(ref pending);
        }
    }

    /// <summary>Polls for a new generation, then blocks; returns the generation to run.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int AwaitNextJob(int part, int seen)
    {
        var deadline = Stopwatch.GetTimestamp() + PollTime;
        while (true)
        {
            var current = Volatile.Read(ref generation);
            if (current != seen || stopping)
                return current;
            if (Stopwatch.GetTimestamp() < deadline)
            {
                Thread.SpinWait(20);
                continue;
            }
            // Announce the sleep (a full fence), then look once more: a job started in between wakes us through the flag.
            Interlocked.Exchange(ref sleeping[part], 1);
            current = Volatile.Read(ref generation);
            if (current != seen || stopping)
            {
                if (Interlocked.CompareExchange(ref sleeping[part], 0, 1) == 0)
                    wakeUps[part - 1].Wait();           // the caller saw the flag and released: consume it
                return current;
            }
            wakeUps[part - 1].Wait();
            deadline = Stopwatch.GetTimestamp() + PollTime;
        }
    }

    public void Dispose()
    {
        stopping = true;
        for (var part = 1; part < Parts; part++)
            if (Interlocked.CompareExchange(ref sleeping[part], 0, 1) == 1)
                wakeUps[part - 1].Release();
        foreach (var helper in helpers)
            helper.Join();
        foreach (var wakeUp in wakeUps)
            wakeUp.Dispose();
        ready.Dispose();
    }
}
