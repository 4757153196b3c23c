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

        public EtsForm Form => Problem.Form;

        /// <summary>Where the form goes in a pass's lanes (<see cref="Kind"/>).</summary>
        public int Kind { get; } = PairedEstimation.Kind(Problem.Form);

        /// <summary>The points evaluated ahead of the search in the last pass (see <see cref="Ahead"/>).</summary>
        public Ahead? Ahead { get; set; }
    }

    /// <summary>
    /// Points a Nelder-Mead search will or may ask for after its current one, evaluated in the current one's pass where
    /// lanes would otherwise be idle, and their values, handed to the search when it asks for one of them — the same
    /// points and values it would get from passes of their own (a point's value depends on the point alone). They are
    /// the vertices nmmin evaluates one by one after its start or a shrink (<see cref="Optimization.NelderMeadSearch.VerticesAhead"/>:
    /// certain), or the points it may ask for after a reflection (<see cref="Optimization.NelderMeadSearch.Speculate"/>:
    /// one of the three is asked for).
    /// </summary>
    private sealed class Ahead(int parameters, int states)
    {
        /// <summary>At most this many points a pass (a vector's lanes beside the search's own point).</summary>
        public const int Capacity = 3;

        // Made with the search's first pass ahead: a form's point and state buffers, reused by every pass.
        private readonly double[][] _points = [new double[parameters], new double[parameters], new double[parameters]];
        private readonly double[][] _states = [new double[states], new double[states], new double[states]];

        public double[] Values { get; } = new double[Capacity];

        /// <summary>Whether the point needs a lane (inside the parameter space), and its lane's input.</summary>
        public bool[] Recurse { get; } = new bool[Capacity];

        public EtsRecursions.LaneParameters[] Parameters { get; } = new EtsRecursions.LaneParameters[Capacity];

        /// <summary>How many points this pass holds (0 once the search has been advanced past the pass).</summary>
        public int Count { get; set; }

        /// <summary>The first <paramref name="count"/> point buffers.</summary>
        public Span<double[]> Points(int count) => _points.AsSpan(0, count);

        /// <summary>The state buffer of point <paramref name="k"/>.</summary>
        public double[] State(int k) => _states[k];

        /// <summary>The value of <paramref name="point"/> if it is one of this pass's points.</summary>
        public bool TryTake(ReadOnlySpan<double> point, out double value)
        {
            for (int k = 0; k < Count; k++)
            {
                if (point.SequenceEqual(_points[k]))
                {
                    value = Values[k];
                    return true;
                }
            }
            value = 0;
            return false;
        }
    }

    /// <summary>
    /// With five to eight forms left, none seasonal, the shortest series whose reflections are followed ahead
    /// (one or two of the three points, the likeliest). A point ahead that the search may not ask for costs its
    /// preparation (parameter checks, a lane's setup and logarithms) whether used or not, and saves a pass over the
    /// data when used: a pass of a non-seasonal form is a chain of dependent steps, whose lanes cost little, but on
    /// short series the preparation is not repaid (development runs: yearly fits a little slower, weekly ones faster).
    /// </summary>
    private const int SpeculationLength = 200;

    /// <summary>One lane of a pass: a search's own point (<see cref="Own"/>), one of its points ahead, or a repeat of its own point that fills its vector (<see cref="Padding"/>).</summary>
    private readonly record struct LaneJob(Job Job, int Slot);

    private const int Own = -1, Padding = -2;

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

        var lanes = new List<LaneJob>();
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
            if (vectorLanes && EtsRecursions.VectorLanes) RunVectors(y, grouped, lanes, values);
            else RunScalars(y, grouped);

            foreach (var job in ready)
            {
                if (Advance(job)) active.Add(job);
                else Complete(job);
                if (job.Ahead is { } ahead) ahead.Count = 0;
            }
        }
    }

    /// <summary>
    /// The recursions as lanes of vectors, up to <see cref="EtsRecursions.MaxLanes"/> a loop. With at most eight forms
    /// left, the lanes their points leave idle take points ahead (<see cref="Ahead"/>), up to three per form: the next
    /// vertices nmmin will ask for, or the points a reflection may be followed by (the likeliest first) — so that a
    /// Nelder-Mead iteration often takes one pass instead of two, and a simplex's vertices fewer passes than one each.
    /// </summary>
    private static void RunVectors(double[] y, List<Job> grouped, List<LaneJob> lanes, double[] values)
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
        int max = EtsRecursions.MaxLanes;
        // Each form's lanes: its point and as many ahead as the idle lanes allow (four forms or fewer: three each; five:
        // two; six to eight: one; more: none) — vertices nmmin will ask for, or with four forms or fewer (with more, see
        // SpeculationLength) the points a reflection may be followed by.
        int ahead = Math.Clamp(max / Math.Max(1, grouped.Count), 1, 4) - 1;
        // Seasonal passes are bound by the divisions of every lane rather than by the chain of steps: only a reflection's
        // three follow-ups, with four forms or fewer, each form in a vector of its own (so that no vector mixes kinds).
        bool seasonal = false;
        foreach (var job in grouped) seasonal |= job.Form.Season != EtsComponent.None;
        bool followReflections = !seasonal && y.Length >= SpeculationLength;
        lanes.Clear();
        foreach (var job in grouped)
        {
            lanes.Add(new(job, Own));
            if (ahead == 0 || !job.Objective.Pairable) continue;
            var objective = job.Objective;
            var next = job.Ahead ??= new Ahead(job.Search.Point.Length, objective.StateLength);
            int count = seasonal ? 0 : job.Search.VerticesAhead(next.Points(ahead));
            if (count == 0 && (ahead == 3 || followReflections))
                count = job.Search.Speculate(next.Points(ahead));
            next.Count = count;
            var prepared = next.Points(count);
            for (int k = 0; k < count; k++)
            {
                next.Values[k] = double.PositiveInfinity;
                next.Recurse[k] = objective.PrepareLane(prepared[k], next.State(k), out next.Parameters[k]);
                if (!next.Recurse[k]) continue;
                lanes.Add(new(job, k));
            }
            if (seasonal && ahead == 3)
                while ((lanes.Count & 3) != 0) lanes.Add(new(job, Padding));
        }

        for (int start = 0; start < lanes.Count; start += max)
        {
            int count = Math.Min(max, lanes.Count - start);
            if (count == 1 && lanes[start].Slot == Own)
            {
                var a = lanes[start].Job.Objective;
                lanes[start].Job.Search.Report(a.Finish(a.Recurse()));
                continue;
            }
            var batch = EtsRecursions.Batch();
            for (int k = 0; k < count; k++)
            {
                var (job, slot) = lanes[start + k];
                if (slot < 0) job.Objective.AddLane(batch);
                else job.Objective.AddLane(batch, job.Ahead!.State(slot), job.Ahead.Parameters[slot]);
            }
            batch.Run(y, values);
            for (int k = 0; k < count; k++)
            {
                var (job, slot) = lanes[start + k];
                if (slot == Padding) continue;
                double value = job.Objective.Finish(values[k]);
                if (slot == Own) job.Search.Report(value);
                else job.Ahead!.Values[slot] = value;
            }
        }
    }

    /// <summary>
    /// Multiplicative seasons first, then additive ones, then none; within each, forms without a trend before those
    /// with one (a vector whose lanes agree on the trend skips its selection), and multiplicative errors before additive.
    /// </summary>
    private static int Kind(EtsForm form) =>
        4 * form.Season switch { EtsComponent.Multiplicative => 0, EtsComponent.Additive => 1, _ => 2 }
        + 2 * (form.Trend != EtsComponent.None ? 1 : 0) + (form.Error == EtsComponent.Multiplicative ? 0 : 1);

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
