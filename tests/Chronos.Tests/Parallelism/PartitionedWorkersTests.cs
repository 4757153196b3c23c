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
}
