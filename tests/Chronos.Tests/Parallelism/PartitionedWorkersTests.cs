using Forecast.Chronos.Parallelism;

namespace Forecast.Chronos.Tests.Parallelism;

public class PartitionedWorkersTests
{
    [Fact]
    public void Every_part_runs_once_per_call_part_zero_on_the_calling_thread()
    {
        TorchRuntime.EnsureLoaded();
        using var workers = new PartitionedWorkers(3);
        var caller = Environment.CurrentManagedThreadId;
        for (var call = 0; call < 50; call++)
        {
            var threads = new int[3];
            var runs = new int[3];
            workers.Run(part =>
            {
                threads[part] = Environment.CurrentManagedThreadId;
                Interlocked.Increment(ref runs[part]);
            });
            runs.Should().AllBeEquivalentTo(1);
            threads[0].Should().Be(caller);
            threads.Distinct().Should().HaveCount(3);
        }
    }

    [Fact]
    public void A_failing_part_is_rethrown_after_all_parts_finished_and_the_workers_stay_usable()
    {
        TorchRuntime.EnsureLoaded();
        using var workers = new PartitionedWorkers(2);
        var finished = 0;

        var act = () => workers.Run(part =>
        {
            if (part == 1)
                throw new InvalidOperationException("part 1 failed");
            Thread.Sleep(20);
            Interlocked.Increment(ref finished);
        });

        act.Should().Throw<AggregateException>().WithInnerException<InvalidOperationException>().WithMessage("part 1 failed");
        finished.Should().Be(1);
        var again = 0;
        workers.Run(_ => Interlocked.Increment(ref again));
        again.Should().Be(2);
    }

    [Fact]
    public void Shared_work_is_done_once_whether_or_not_the_helpers_take_part_and_fixed_parts_still_all_run()
    {
        TorchRuntime.EnsureLoaded();
        using var workers = new PartitionedWorkers(3);
        for (var call = 0; call < 500; call++)
        {
            // A pool of items taken by whichever part is free; a helper that has not started when the caller is done
            // is skipped, so items must be done exactly once in every case.
            var done = new int[64];
            var next = -1;
            workers.Run(_ =>
            {
                for (var item = Interlocked.Increment(ref next); item < done.Length; item = Interlocked.Increment(ref next))
                    Interlocked.Increment(ref done[item]);
            }, sharedWork: true);
            done.Should().AllBeEquivalentTo(1);

            // Fixed parts in between: every part runs once, skipped helpers included.
            var runs = new int[3];
            workers.Run(part => Interlocked.Increment(ref runs[part]));
            runs.Should().AllBeEquivalentTo(1);
        }
    }
}
