using System.Collections.Concurrent;

namespace Forecast.Statistical.Ets;

/// <summary>
/// Fits several ETS forms of one series on one thread, their Nelder-Mead searches advanced together so that two
/// forms' likelihood recursions run in one loop (<see cref="EtsRecursions.PairRunner"/>). Each search gets exactly the
/// values it would get alone, so every form's fit is the one <see cref="EtsEstimation.Fit"/> makes.
/// </summary>
internal static class PairedEstimation
{
    private static readonly ConcurrentDictionary<(EtsRecursions.OneStepLane, EtsRecursions.OneStepLane), EtsRecursions.PairRunner> Runners = new();

    private sealed record Job(int Index, EtsEstimation.Problem Problem, Optimization.NelderMeadSearch Search)
    {
        public EtsObjective Objective => Problem.Objective;
    }

    /// <summary>Fits <paramref name="forms"/>: fits[i] the model (null: too many parameters), or errors[i] why not.</summary>
    public static void FitAll(double[] y, IReadOnlyList<EtsForm> forms, int seasonLength, EtsSettings settings, EtsModel?[] fits, Exception?[] errors)
    {
        var active = new List<Job>();
        void Complete(Job job)
        {
            try
            {
                fits[job.Index] = job.Problem.Complete(job.Search.Result);
            }
            catch (Exception ex) when (ex is ModelFitException or ArgumentException)
            {
                errors[job.Index] = ex;
            }
        }
        for (int i = 0; i < forms.Count; i++)
        {
            try
            {
                if (EtsEstimation.Prepare(y, forms[i], seasonLength, settings) is not { } problem) continue;
                var job = new Job(i, problem, problem.Search());
                if (job.Search.Next()) active.Add(job);
                else Complete(job);
            }
            catch (Exception ex) when (ex is ModelFitException or ArgumentException)
            {
                errors[i] = ex;
            }
        }

        var ready = new List<Job>();
        while (active.Count > 0)
        {
            // Every search's next point; those outside the parameter space are answered without a recursion.
            ready.Clear();
            for (int k = 0; k < active.Count; k++)
            {
                var job = active[k];
                bool searching = true;
                while (searching && !job.Objective.Prepare(job.Search.Point, out double rejected))
                {
                    job.Search.Report(rejected);
                    searching = job.Search.Next();
                }
                if (searching) ready.Add(job);
                else Complete(job);
            }
            active.Clear();

            // The recursions, two at a time where the forms allow.
            Job? waiting = null;
            foreach (var job in ready)
            {
                if (!job.Objective.Pairable)
                {
                    job.Search.Report(job.Objective.Finish(job.Objective.Recurse()));
                    continue;
                }
                if (waiting is null)
                {
                    waiting = job;
                    continue;
                }
                var first = waiting.Objective;
                var second = job.Objective;
                var runner = Runners.GetOrAdd((first.Lane, second.Lane), lanes => lanes.Item1.PairWith(lanes.Item2));
                var (a, b) = runner.Run(y, first.State, first.Step, first.Ring, second.State, second.Step, second.Ring);
                waiting.Search.Report(first.Finish(a));
                job.Search.Report(second.Finish(b));
                waiting = null;
            }
            waiting?.Search.Report(waiting.Objective.Finish(waiting.Objective.Recurse()));

            foreach (var job in ready)
            {
                if (job.Search.Next()) active.Add(job);
                else Complete(job);
            }
        }
    }
}
