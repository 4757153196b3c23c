using static TorchSharp.torch;

namespace Forecast.Chronos.Parallelism;

/// <summary>
/// Runs one piece of work in <see cref="Parts"/> parts at once: part 0 on the calling thread, the others on helper
/// threads that live as long as this object and wait on a semaphore between jobs (no CPU while idle). Each helper
/// uses one libtorch thread and no autograd, so its libtorch calls never open OpenMP teams of their own.
/// </summary>
internal sealed class PartitionedWorkers : IDisposable
{
    private readonly Thread[] helpers;
    private readonly SemaphoreSlim[] starts;
    private readonly CountdownEvent finished;
    private readonly CountdownEvent ready;
    private readonly Exception?[] failures;
    private Action<int>? job;
    private volatile bool stopping;

    public PartitionedWorkers(int parts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parts, 2);
        Parts = parts;
        starts = Enumerable.Range(1, parts - 1).Select(_ => new SemaphoreSlim(0)).ToArray();
        failures = new Exception?[parts];
        finished = new CountdownEvent(parts - 1);
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
    public void Run(Action<int> work)
    {
        job = work;
        finished.Reset();
        foreach (var start in starts)
            start.Release();
        try
        {
            work(0);
        }
        catch (Exception error)
        {
            failures[0] = error;
        }
        finished.Wait();
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
        var start = starts[part - 1];
        while (true)
        {
            start.Wait();
            if (stopping)
                return;
            try
            {
                using var noGrad = no_grad();
                job!(part);
            }
            catch (Exception error)
            {
                failures[part] = error;
            }
            finished.Signal();
        }
    }

    public void Dispose()
    {
        stopping = true;
        foreach (var start in starts)
            start.Release();
        foreach (var helper in helpers)
            helper.Join();
        foreach (var start in starts)
            start.Dispose();
        finished.Dispose();
        ready.Dispose();
    }
}
