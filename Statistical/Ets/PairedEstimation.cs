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

        /// <summary>The points evaluated ahead of the search (see <see cref="Speculation"/>), while any are pending.</summary>
        public Speculation? Ahead { get; set; }
    }

    /// <summary>
    /// The three points a Nelder-Mead search may ask for after a reflection (<see cref="Optimization.NelderMeadSearch.Speculate"/>),
    /// evaluated in the reflection's pass where lanes would otherwise be idle, and their values, handed to the search
    /// when it asks for one of them — the same points and values it would get from a pass of their own.
    /// </summary>
    private sealed class Speculation
    {
        public Speculation(int parameters, int states)
        {
            for (int k = 0; k < 3; k++)
            {
                Points[k] = new double[parameters];
                States[k] = new double[states];
            }
        }

        public double[][] Points { get; } = new double[3][];

        public double[][] States { get; } = new double[3][];

        public double[] Values { get; } = new double[3];

        /// <summary>Whether the point needs a lane (inside the parameter space), and its lane's input.</summary>
        public bool[] Recurse { get; } = new bool[3];

        public EtsRecursions.LaneInput[] Inputs { get; } = new EtsRecursions.LaneInput[3];

        public bool Pending { get; set; }

        /// <summary>The value of <paramref name="point"/> if it is one of the three (then no longer pending).</summary>
        public bool TryTake(ReadOnlySpan<double> point, out double value)
        {
            value = 0;
            if (!Pending) return false;
            for (int k = 0; k < 3; k++)
            {
                if (point.SequenceEqual(Points[k]))
                {
                    value = Values[k];
                    Pending = false;
                    return true;
                }
            }
            return false;
        }
    }

    /// <summary>The search's next point, handing it values evaluated ahead where it asks for those points; false when it is over.</summary>
    private static bool Advance(Job job)
    {
        while (job.Search.Next())
        {
            if (job.Ahead is not { } ahead || !ahead.TryTake(job.Search.Point, out double value)) return true;
            job.Search.Report(value);
        }
        return false;
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
                        if (verdict == EtsParameterSpace.Verdict.Accepted) ready.Add(job);
                        else if (verdict == EtsParameterSpace.Verdict.Roots)
                        {
                            open.Add(job);
                            queries.Add(job.Objective.RootQuery);
                        }
                        if (verdict != EtsParameterSpace.Verdict.Rejected) break;
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
                if (Advance(job)) active.Add(job);
                else Complete(job);
                if (job.Ahead is { } ahead) ahead.Pending = false;
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
        // Few forms left: each takes a vector, its reflection in one lane and the three points the search may ask for
        // next in the others, so a Nelder-Mead iteration takes one pass instead of two.
        if (grouped.Count is > 0 and <= EtsRecursions.MaxLanes / 4 && grouped.Any(j => j.Objective.CanSpeculate))
        {
            RunAhead(y, grouped, inputs, values);
            return;
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

    /// <summary>One vector per form: lane 0 its search's point, lanes 1–3 the points it may ask for next (see <see cref="Speculation"/>).</summary>
    private static void RunAhead(double[] y, List<Job> grouped, EtsRecursions.LaneInput[] inputs, double[] values)
    {
        for (int v = 0; v < grouped.Count; v++)
        {
            var job = grouped[v];
            var objective = job.Objective;
            var own = objective.LaneInput;
            for (int k = 0; k < 4; k++) inputs[4 * v + k] = own;
            if (!objective.CanSpeculate) continue;
            var ahead = job.Ahead ??= new Speculation(job.Search.Point.Length, objective.StateLength);
            if (!job.Search.Speculate(ahead.Points[0], ahead.Points[1], ahead.Points[2])) continue;
            ahead.Pending = true;
            for (int k = 0; k < 3; k++)
            {
                ahead.Recurse[k] = objective.PrepareLane(ahead.Points[k], ahead.States[k], out ahead.Inputs[k]);
                ahead.Values[k] = double.PositiveInfinity;
                if (ahead.Recurse[k]) inputs[4 * v + 1 + k] = ahead.Inputs[k];
            }
        }
        EtsRecursions.RunLanes(y, inputs.AsSpan(0, 4 * grouped.Count), values);
        for (int v = 0; v < grouped.Count; v++)
        {
            var job = grouped[v];
            job.Search.Report(job.Objective.Finish(values[4 * v]));
            if (job.Ahead is { Pending: true } ahead)
            {
                for (int k = 0; k < 3; k++)
                    if (ahead.Recurse[k]) ahead.Values[k] = job.Objective.Finish(values[4 * v + 1 + k]);
            }
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
