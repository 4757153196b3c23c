using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Forecast.Statistical.Ets;

/// <summary>
/// Fits several ETS forms of one series on one thread, their Nelder-Mead searches advanced together so that two or
/// three forms' likelihood recursions run in one loop (<see cref="EtsRecursions.PairRunner"/>). Each search gets exactly the
/// values it would get alone, so every form's fit is the one <see cref="EtsEstimation.Fit"/> makes.
/// </summary>
internal static class PairedEstimation
{

    private static readonly ConcurrentDictionary<(EtsRecursions.OneStepLane, EtsRecursions.OneStepLane), EtsRecursions.PairRunner> Pairs = new();
    private static readonly ConcurrentDictionary<(EtsRecursions.OneStepLane, EtsRecursions.OneStepLane, EtsRecursions.OneStepLane), EtsRecursions.TripleRunner> Triples = new();

    private sealed record Job(int Index, EtsEstimation.Problem Problem, Optimization.NelderMeadSearch Search)
    {
        public EtsObjective Objective => Problem.Objective;

        /// <summary>Where the form goes in a pass's lanes (<see cref="Kind"/>).</summary>
        public int Kind { get; } = PairedEstimation.Kind(Problem.Form);
    }

    /// <summary>
    /// Fits <paramref name="forms"/>: fits[i] the model (null: too many parameters), or errors[i] why not. Their recursions
    /// run as vector lanes where the hardware has them and <paramref name="vectorLanes"/>, else in scalar pairs and triples.
    /// </summary>
    public static void FitAll(double[] y, IReadOnlyList<EtsForm> forms, int seasonLength, EtsSettings settings, EtsModel?[] fits, Exception?[] errors,
        bool vectorLanes = true)
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

        var inputs = new EtsRecursions.LaneInput[EtsRecursions.MaxLanes];
        var values = new double[EtsRecursions.MaxLanes];
        var ready = new List<Job>();
        var grouped = new List<Job>();
        var open = new List<Job>();
        var queries = new List<EtsParameterSpace.RootQuery>();
        var admissible = new bool[forms.Count];
        while (active.Count > 0)
        {
            // Every search's next point; those outside the parameter space are answered without a recursion. The
            // admissible region's root conditions of the searches' points are decided together, four at a time.
            ready.Clear();
            while (active.Count > 0)
            {
                open.Clear();
                queries.Clear();
                foreach (var job in active)
                {
                    bool searching = true;
                    while (searching)
                    {
                        var verdict = job.Objective.PrepareDeferred(job.Search.Point, out double rejected);
                        if (verdict == EtsObjective.Verdict.Accepted) ready.Add(job);
                        else if (verdict == EtsObjective.Verdict.Roots)
                        {
                            open.Add(job);
                            queries.Add(job.Objective.RootQuery);
                        }
                        if (verdict != EtsObjective.Verdict.Rejected) break;
                        job.Search.Report(rejected);
                        searching = job.Search.Next();
                    }
                    if (!searching) Complete(job);
                }
                active.Clear();
                if (open.Count == 0) break;
                EtsParameterSpace.RootConditions(CollectionsMarshal.AsSpan(queries), open[0].Objective.Period, admissible);
                for (int k = 0; k < open.Count; k++)
                {
                    var job = open[k];
                    if (admissible[k]) ready.Add(job);
                    else
                    {
                        job.Search.Report(double.PositiveInfinity);
                        if (job.Search.Next()) active.Add(job);
                        else Complete(job);
                    }
                }
            }

            // The recursions of the forms that can share a loop together; the others alone.
            grouped.Clear();
            foreach (var job in ready)
            {
                if (job.Objective.Pairable) grouped.Add(job);
                else job.Search.Report(job.Objective.Finish(job.Objective.Recurse()));
            }
            if (vectorLanes && EtsRecursions.VectorLanes) RunVectors(y, grouped, inputs, values);
            else RunScalars(y, grouped);

            foreach (var job in ready)
            {
                if (job.Search.Next()) active.Add(job);
                else Complete(job);
            }
        }
    }

    /// <summary>The recursions as lanes of vectors, up to <see cref="EtsRecursions.MaxLanes"/> forms a loop; a single one alone.</summary>
    private static void RunVectors(double[] y, List<Job> grouped, EtsRecursions.LaneInput[] inputs, double[] values)
    {
        // Forms of a kind side by side, so that a vector's four lanes need the same variants of the step (a vector whose
        // lanes have no multiplicative season or error skips those divisions). Insertion sort: stable, and a handful of forms.
        for (int i = 1; i < grouped.Count; i++)
        {
            var job = grouped[i];
            int key = job.Kind, j = i - 1;
            for (; j >= 0 && grouped[j].Kind > key; j--) grouped[j + 1] = grouped[j];
            grouped[j + 1] = job;
        }
        for (int start = 0; start < grouped.Count; start += EtsRecursions.MaxLanes)
        {
            int count = Math.Min(EtsRecursions.MaxLanes, grouped.Count - start);
            if (count == 1)
            {
                var a = grouped[start].Objective;
                grouped[start].Search.Report(a.Finish(a.Recurse()));
                continue;
            }
            for (int k = 0; k < count; k++) inputs[k] = grouped[start + k].Objective.LaneInput;
            EtsRecursions.RunLanes(y, inputs.AsSpan(0, count), values);
            for (int k = 0; k < count; k++) grouped[start + k].Search.Report(grouped[start + k].Objective.Finish(values[k]));
        }
    }

    /// <summary>Multiplicative seasons first, then seasonal forms with multiplicative and with additive errors, then the non-seasonal ones likewise.</summary>
    private static int Kind(EtsForm form) => form.Season switch
    {
        EtsComponent.Multiplicative => 0,
        EtsComponent.Additive => form.Error == EtsComponent.Multiplicative ? 1 : 2,
        _ => form.Error == EtsComponent.Multiplicative ? 3 : 4,
    };

    /// <summary>The recursions three at a time in scalar loops, then two, then alone.</summary>
    private static void RunScalars(double[] y, List<Job> grouped)
    {
        int k3 = 0;
        for (; k3 + 3 <= grouped.Count; k3 += 3)
        {
            EtsObjective a = grouped[k3].Objective, b = grouped[k3 + 1].Objective, c = grouped[k3 + 2].Objective;
            var runner = Triples.GetOrAdd((a.Lane, b.Lane, c.Lane), lanes => lanes.Item1.TripleWith(lanes.Item2, lanes.Item3));
            var (va, vb, vc) = runner.Run(y, a.State, a.Step, a.Ring, b.State, b.Step, b.Ring, c.State, c.Step, c.Ring);
            grouped[k3].Search.Report(a.Finish(va));
            grouped[k3 + 1].Search.Report(b.Finish(vb));
            grouped[k3 + 2].Search.Report(c.Finish(vc));
        }
        if (grouped.Count - k3 == 2)
        {
            EtsObjective a = grouped[k3].Objective, b = grouped[k3 + 1].Objective;
            var runner = Pairs.GetOrAdd((a.Lane, b.Lane), lanes => lanes.Item1.PairWith(lanes.Item2));
            var (va, vb) = runner.Run(y, a.State, a.Step, a.Ring, b.State, b.Step, b.Ring);
            grouped[k3].Search.Report(a.Finish(va));
            grouped[k3 + 1].Search.Report(b.Finish(vb));
        }
        else if (grouped.Count - k3 == 1)
        {
            var a = grouped[k3].Objective;
            grouped[k3].Search.Report(a.Finish(a.Recurse()));
        }
    }
}
