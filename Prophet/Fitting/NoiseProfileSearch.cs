namespace Forecast.Prophet;

/// <summary>
/// Global minimisation of the profile g(w) = h(w) - (n/2)·ln w + 2/w over the noise precision w = 1/sigma_obs² for a
/// <see cref="LinearGaussianModel"/>, by branch and bound. h(w) = min_θ (w/2)·ss(θ) + R(θ) is exact at every
/// evaluated w (a convex problem, <see cref="L1QuadraticSolver"/>) and concave in w (a minimum of affine functions of
/// w), so on an interval [a, b] between evaluated precisions h lies above its chord, and
/// g(w) ≥ chord(w) - (n/2)·ln w + 2/w, a convex function whose minimum over [a, b] bounds g there. The search splits
/// the interval with the lowest bound until every bound is within the tolerance of the best value found, which is
/// then the global minimum over w ∈ (0, w_max] (and so over sigma_obs ≥ its floor) up to that tolerance.
/// The incumbent is always a local optimum of the joint problem (θ exact for its w, and g'(w) = 0, found by a
/// safeguarded Newton iteration in ln w), so the result satisfies the first-order conditions in every parameter.
/// </summary>
internal sealed class NoiseProfileSearch(LinearGaussianModel model)
{
    /// <summary>Relative tolerance of the certificate: no sigma_obs gives a log posterior higher by more than this.</summary>
    public const double RelativeTolerance = 1e-9;

    /// <summary>
    /// sigma_obs² is searched down to this fraction of mean(y²) of the scaled history: below it the sum of squares
    /// from the Gram matrix has lost its digits to cancellation, and a model that reproduces the data that closely
    /// has no noise left to estimate.
    /// </summary>
    public const double VarianceFloor = 1e-10;

    private const int MaxProfileEvaluations = 400;

    /// <summary>The relative tolerance of this search's certificate (<see cref="RelativeTolerance"/> by default).</summary>
    public double Tolerance { get; init; } = RelativeTolerance;

    /// <summary>
    /// When positive, the local descent in ln w also stops once its Newton step would lower g by at most this share of
    /// |g| instead of only at the precision's own tolerance. For the Gauss–Newton sub-problems, whose w only steers the
    /// step: the descent then sets sigma_obs to its exact conditional optimum on the true objective, and its own KKT
    /// test decides convergence. 1e-13 is the rounding of g (the sum of squares from the Gram matrix carries rounding of
    /// about 1e-9 relative there, so the precision's gradient cannot be resolved to the tolerance and the search
    /// otherwise spends several evaluations moving in that noise); while the Gauss–Newton iterate is still far from its
    /// KKT point a larger share suffices (its next linearisation moves the sub-problem anyway). Not for logistic growth,
    /// whose descent took as many iterations either way and ended more often just outside the KKT tolerance with it.
    /// </summary>
    public double StopBelow { get; init; }

    private readonly List<Point> _points = [];
    private int _solves;
    private int _evaluations;

    /// <summary>
    /// Outcome: θ, precision and f = -L of the result; the certified gap. <paramref name="Unbounded"/>: g decreases
    /// without bound towards the floor (no MAP exists); the result is then the best local mode above the floor, or the
    /// floor itself (<paramref name="AtFloor"/>) when g has none.
    /// </summary>
    public sealed record Result(double[] Theta, double Precision, double Value, int Solves, int ProfileEvaluations, double Gap, bool Unbounded, bool AtFloor);

    public Result Run(double[] theta, double startPrecision, CancellationToken cancellationToken, bool global = true)
    {
        var n = model.Rows;
        var maxPrecision = n / (VarianceFloor * Math.Max(model.SumOfSquaredY, double.Epsilon));
        var first = LocalOptimum(theta, Math.Clamp(startPrecision, 1e-300, maxPrecision), maxPrecision, cancellationToken);
        var best = first;
        if (!global)
        {
            return new Result(first.Theta, first.Precision, first.Value, _solves, _evaluations, double.NaN, Unbounded: false,
                AtFloor: first.Precision >= maxPrecision);
        }

        _points.Add(new Point(0, 0, model.SumOfSquaredY, 0, FitBuffers.Rent(model.Dimension), double.PositiveInfinity));
        Insert(best.Point);
        var gap = double.PositiveInfinity;
        if (best.Precision < maxPrecision)
        {
            // Bracket the incumbent where the chord gap, |h''|·(Δw)²/8 = |dss/dw|·(Δw)²/16, meets the tolerance, then
            // coarser, then the floor; the search refines wherever that does not prune.
            var w = best.Point.W;
            var tolerance = Tolerance * Math.Max(1.0, Math.Abs(best.Value));
            var step = Math.Clamp(Math.Sqrt(16 * tolerance / Math.Max(-best.Point.SsSlope, 1e-300)) / w, 1e-6, 0.1);
            foreach (var offset in (ReadOnlySpan<double>)[-step, step, -0.3, 0.3])
            {
                Evaluate(Math.Min(w * Math.Exp(offset), maxPrecision), cancellationToken);
            }

            if (_points[^1].W < maxPrecision)
            {
                // At the floor the Laplace prior hardly matters against w·Z'Z: every delta is non-zero there, so the
                // solver starts from the unpenalised solution instead of adding the deltas one Newton system at a time.
                Evaluate(maxPrecision, cancellationToken, start: model.UnpenalisedSolution(maxPrecision));
            }

            while (_evaluations < MaxProfileEvaluations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (best.Precision >= maxPrecision)
                {
                    break; // unbounded towards the floor: the interior modes are searched below
                }

                tolerance = Tolerance * Math.Max(1.0, Math.Abs(best.Value));
                var (lowest, at, split) = LowestBound();
                gap = Math.Max(0.0, best.Value - lowest);
                if (lowest >= best.Value - tolerance)
                {
                    break;
                }

                var point = Evaluate(split, cancellationToken, near: at);
                if (point.G < best.Value - tolerance)
                {
                    // A better basin: descend to its local optimum and make it the incumbent.
                    var local = LocalOptimum(Copy(point.Theta), point.W, maxPrecision, cancellationToken);
                    Insert(local.Point);
                    if (local.Value < best.Value)
                    {
                        best = local;
                    }
                }
            }
        }

        if (best.Precision < maxPrecision)
        {
            return new Result(best.Theta, best.Precision, best.Value, _solves, _evaluations, gap, Unbounded: false, AtFloor: false);
        }

        // The profile keeps falling towards sigma_obs -> 0: the model reproduces the history (more parameters than the
        // rows determine, or noise-free data) and the posterior has no maximum. rstan stops at a local mode where one
        // exists; so do we, at the best one above the floor.
        var interior = InteriorModes(first, maxPrecision, cancellationToken);
        return interior is null
            ? new Result(best.Theta, best.Precision, best.Value, _solves, _evaluations, gap, Unbounded: true, AtFloor: true)
            : new Result(interior.Theta, interior.Precision, interior.Value, _solves, _evaluations, double.NaN, Unbounded: true, AtFloor: false);
    }

    /// <summary>
    /// The local minimum of g from (θ, w): Newton steps on g in v = ln w (g'(w) = ss/2 - n/(2w) - 2/w², and g''(w)
    /// from dss/dw), each safeguarded by the closed-form sigma_obs for the current θ, which never raises f; stops when
    /// dg/dv, half the gradient of f in log sigma_obs, is a hundredth of the KKT tolerance or no step lowers g.
    /// </summary>
    private Local LocalOptimum(double[] theta, double w, double maxPrecision, CancellationToken cancellationToken)
    {
        var n = model.Rows;
        var point = Profile(w, theta);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var slope = (0.5 * point.Ss) - (0.5 * n / w) - (2.0 / (w * w)); // g'(w)
            var dv = w * slope; // dg/dv
            // |df/d log sigma_obs| = 2|dg/dv|: 1e-10·n is a hundredth of the KKT tolerance (1e-8·(1 + S), S ≥ n).
            if (Math.Abs(dv) <= 1e-10 * n || (w >= maxPrecision && dv < 0))
            {
                break;
            }

            var curvature = dv + (w * w * ((0.5 * point.SsSlope) + (0.5 * n / (w * w)) + (4.0 / (w * w * w)))); // d²g/dv²
            if (StopBelow > 0 && curvature > 0 && 0.5 * dv * dv / curvature <= StopBelow * Math.Max(1.0, Math.Abs(point.G)))
            {
                break;
            }

            var fallback = Math.Min(model.PrecisionGiven(point.Ss), maxPrecision);
            var next = curvature > 0 ? Math.Min(w * Math.Exp(Math.Clamp(-dv / curvature, -2.0, 2.0)), maxPrecision) : fallback;
            var candidate = Profile(next, Copy(point.Theta));
            if (!(candidate.G < point.G) && next != fallback)
            {
                next = fallback;
                candidate = Profile(next, Copy(point.Theta));
            }

            if (!(candidate.G < point.G))
            {
                break;
            }

            var progress = point.G - candidate.G;
            (point, w) = (candidate, next);
            if (progress <= 1e-15 * Math.Max(1.0, Math.Abs(point.G)))
            {
                break;
            }
        }

        return new Local(Copy(point.Theta), w, point.G, point);
    }

    /// <summary>
    /// The best local optimum with sigma_obs above the floor: from the start point's descent and from every local
    /// minimum of g on a grid of step 0.5 in ln w; null when g has none (it falls all the way to the floor).
    /// </summary>
    private Local? InteriorModes(Local first, double maxPrecision, CancellationToken cancellationToken)
    {
        Local? best = first.Precision < maxPrecision ? first : null;
        var lowest = Math.Min(first.Precision, _points.Where(p => p.W > 0).Select(p => p.W).DefaultIfEmpty(first.Precision).Min()) * Math.Exp(-3);
        var grid = new List<Point>();
        var theta = new double[model.Dimension];
        for (var logW = Math.Log(lowest); logW < Math.Log(maxPrecision); logW += 0.5)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var point = Profile(Math.Exp(logW), theta);
            grid.Add(point);
            theta = Copy(point.Theta);
        }

        for (var i = 1; i + 1 < grid.Count; i++)
        {
            if (grid[i].G < grid[i - 1].G && grid[i].G <= grid[i + 1].G)
            {
                var local = LocalOptimum(Copy(grid[i].Theta), grid[i].W, maxPrecision, cancellationToken);
                if (local.Precision < maxPrecision && (best is null || local.Value < best.Value))
                {
                    best = local;
                }
            }
        }

        return best;
    }

    private Point Profile(double w, double[] theta)
    {
        var (h, ss, ssSlope, solves) = model.Profile(w, theta);
        _solves += solves;
        _evaluations++;
        return new Point(w, h, ss, ssSlope, theta, G(w, h));
    }

    private Point Evaluate(double w, CancellationToken cancellationToken, int near = -1, double[]? start = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var index = FirstAtOrAbove(w);
        if (index >= 0 && _points[index].W == w)
        {
            return _points[index];
        }

        // Warm start from the evaluated neighbour closest in log precision.
        var warm = near >= 0 ? Closer(near, w) : index < 0 ? _points[^1] : index == 0 ? _points[0] : Closer(index - 1, w);
        var point = Profile(w, start ?? Copy(warm.Theta));
        Insert(point);
        return point;
    }

    /// <summary>The first evaluated point with precision at or above <paramref name="w"/>, or -1.</summary>
    private int FirstAtOrAbove(double w)
    {
        for (var i = 0; i < _points.Count; i++)
        {
            if (_points[i].W >= w)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A copy of θ in the fit's scratch memory (a point's θ lives for the search only; callers copy the result's).</summary>
    private static double[] Copy(double[] theta)
    {
        var copy = FitBuffers.Rent(theta.Length);
        theta.CopyTo(copy, 0);
        return copy;
    }

    private Point Closer(int left, double w)
    {
        var a = _points[left];
        if (left + 1 >= _points.Count)
        {
            return a;
        }

        // On a tie (a geometric split) the higher precision: its free set is the larger, and the active set changes
        // mostly near the incumbent, so from there the solver removes fewer deltas than it would add from below.
        var b = _points[left + 1];
        return a.W == 0 || Math.Log(w / a.W) >= Math.Log(b.W / w) - 1e-9 ? b : a;
    }

    private void Insert(Point point)
    {
        var index = FirstAtOrAbove(point.W);
        if (index < 0)
        {
            _points.Add(point);
        }
        else if (_points[index].W == point.W)
        {
            _points[index] = point;
        }
        else
        {
            _points.Insert(index, point);
        }
    }

    /// <summary>The lowest lower bound of g over the intervals between evaluated precisions, its interval and split point.</summary>
    private (double Bound, int Interval, double Split) LowestBound()
    {
        var n = model.Rows;
        var lowest = double.PositiveInfinity;
        var at = -1;
        var split = 0.0;
        for (var i = 0; i + 1 < _points.Count; i++)
        {
            var a = _points[i];
            var b = _points[i + 1];
            var slope = Math.Max(0.0, (b.H - a.H) / (b.W - a.W));
            // chord(w) - (n/2) ln w + 2/w is convex; its stationary point solves slope·w² - (n/2)·w - 2 = 0.
            var stationary = slope > 0 ? ((0.5 * n) + Math.Sqrt((0.25 * n * n) + (8 * slope))) / (2 * slope) : double.PositiveInfinity;
            var w = Math.Clamp(stationary, a.W, b.W);
            var bound = w == 0 ? double.PositiveInfinity : a.H + (slope * (w - a.W)) - (0.5 * n * Math.Log(w)) + (2.0 / w);
            if (bound < lowest)
            {
                lowest = bound;
                at = i;
                // A wide interval is split where its bound is lowest, kept within its inner 80 % in ln w (so every
                // split narrows it by at least a tenth): next to the incumbent the bound's minimum lies near n / ss
                // of the far end, where one evaluation prunes what geometric halving took three or four for.
                split = a.W == 0
                    ? Math.Clamp(w, 0.01 * b.W, 0.5 * b.W)
                    : b.W > 4 * a.W ? Math.Clamp(w, a.W * Math.Pow(b.W / a.W, 0.1), a.W * Math.Pow(b.W / a.W, 0.9)) : Math.Clamp(w, a.W + (0.1 * (b.W - a.W)), b.W - (0.1 * (b.W - a.W)));
            }
        }

        return (lowest, at, split);
    }

    private double G(double w, double h) => h - (0.5 * model.Rows * Math.Log(w)) + (2.0 / w);

    private sealed record Point(double W, double H, double Ss, double SsSlope, double[] Theta, double G);

    private sealed record Local(double[] Theta, double Precision, double Value, Point Point);
}
