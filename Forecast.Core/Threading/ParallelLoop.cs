using System.Runtime.ExceptionServices;

namespace Forecast.Core.Threading;

/// <summary>Parallel.For with per-thread scratch state that rethrows the first failure as itself, not wrapped in an AggregateException.</summary>
internal static class ParallelLoop
{
    public static void For<TScratch>(int count, Func<TScratch> scratch, Func<int, ParallelLoopState, TScratch, TScratch> body, CancellationToken cancellationToken = default)
    {
        try
        {
            Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, scratch, body, _ => { });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw; // not reached
        }
    }
}
