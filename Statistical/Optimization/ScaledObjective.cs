using System.Runtime.CompilerServices;

namespace Forecast.Statistical.Optimization;

/// <summary>
/// An objective in R optim's scaled coordinates (stats/src/optim.c: <c>fminfn</c>, <c>fmingr</c>): the optimiser
/// works on p = par / parscale; the function sees p · parscale. Gradients are central differences with step
/// <c>ndeps</c> (1e-3) in the scaled coordinates, as R computes them when no gradient function is given.
/// </summary>
/// <remarks>
/// With <paramref name="fork"/> (a source of independent copies of the objective, safe to call at the same time) and
/// <paramref name="parallelism"/> above 1, the 2·n evaluations of a gradient run on several threads: each is the
/// same function of its own point, so the gradient is the same to the bit.
/// </remarks>
/// <remarks>
/// With <paramref name="batch"/>, a one-thread gradient hands its 2·n points to it in one call (an objective whose
/// evaluations are chains of dependent steps can run several chains in one loop); again the same values.
/// </remarks>
internal sealed class ScaledObjective(Objective f, double[] parscale, double ndeps = 1e-3, Func<Objective>? fork = null, int parallelism = 1,
    BatchObjective? batch = null)
{
    private double[][]? _points;
    private double[]? _values;

    private readonly double[] _x = new double[parscale.Length];
    private (Objective F, double[] X)[]? _workers;

    public int Dimension => parscale.Length;

    public double[] Parscale => parscale;

    /// <summary>fminfn.</summary>
    public double Value(ReadOnlySpan<double> p)
    {
        for (int i = 0; i < p.Length; i++)
        {
            if (!double.IsFinite(p[i])) throw new OptimizationException("non-finite value supplied by optim");
            _x[i] = p[i] * parscale[i];
        }
        return f(_x);
    }

    /// <summary>Whether <see cref="Values"/> evaluates several points in one batch call.</summary>
    public bool CanBatch => batch is not null;

    /// <summary>
    /// fminfn at the first <paramref name="count"/> of <paramref name="points"/> (scaled, finite) in one batch call: each
    /// value is <see cref="Value"/>'s at that point, to the bit.
    /// </summary>
    public void Values(double[][] points, int count, double[] values)
    {
        // The batch takes as many lanes as it is given points: one set of buffers per count.
        if (_lineSets.Length <= count) Array.Resize(ref _lineSets, count + 1);
        var set = _lineSets[count] ??= ([.. Enumerable.Range(0, count).Select(_ => new double[parscale.Length])], new double[count]);
        for (int k = 0; k < count; k++)
            for (int i = 0; i < parscale.Length; i++) set.X[k][i] = points[k][i] * parscale[i];
        batch!(set.X, set.Values);
        Array.Copy(set.Values, values, count);
    }

    private (double[][] X, double[] Values)?[] _lineSets = [];

    /// <summary>fmingr, numerical branch without bounds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Gradient(ReadOnlySpan<double> p, Span<double> df)
    {
        if (fork is not null && parallelism > 1 && p.Length > 1)
        {
            ParallelGradient(p.ToArray(), df);
            return;
        }
        if (batch is not null && p.Length > 0)
        {
            BatchGradient(p, df);
            return;
        }
        for (int i = 0; i < p.Length; i++) _x[i] = p[i] * parscale[i];
        for (int i = 0; i < p.Length; i++)
        {
            double eps = ndeps;
            _x[i] = (p[i] + eps) * parscale[i];
            double val1 = f(_x);
            _x[i] = (p[i] - eps) * parscale[i];
            double val2 = f(_x);
            df[i] = (val1 - val2) / (2 * eps);
            if (!double.IsFinite(df[i])) throw new OptimizationException($"non-finite finite-difference value [{i + 1}]");
            _x[i] = p[i] * parscale[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BatchGradient(ReadOnlySpan<double> p, Span<double> df)
    {
        int n = p.Length;
        if (_points is null || _points.Length != 2 * n)
        {
            _points = [.. Enumerable.Range(0, 2 * n).Select(_ => new double[n])];
            _values = new double[2 * n];
        }
        for (int k = 0; k < 2 * n; k++)
        {
            var x = _points[k];
            for (int j = 0; j < n; j++) x[j] = p[j] * parscale[j];
            int i = k / 2;
            x[i] = (k % 2 == 0 ? p[i] + ndeps : p[i] - ndeps) * parscale[i];
        }
        batch!(_points, _values!);
        for (int i = 0; i < n; i++)
        {
            df[i] = (_values![2 * i] - _values[2 * i + 1]) / (2 * ndeps);
            if (!double.IsFinite(df[i])) throw new OptimizationException($"non-finite finite-difference value [{i + 1}]");
        }
    }

    private void ParallelGradient(double[] p, Span<double> df)
    {
        int n = p.Length, evaluations = 2 * n;
        int count = Math.Min(parallelism, evaluations);
        if (_workers is null || _workers.Length != count)
            _workers = [.. Enumerable.Range(0, count).Select(_ => (fork!(), new double[n]))];
        var workers = _workers;
        var values = new double[evaluations];
        try
        {
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = count }, w =>
            {
                var (fw, x) = workers[w];
                for (int k = w; k < evaluations; k += count)
                {
                    int i = k / 2;
                    for (int j = 0; j < n; j++) x[j] = p[j] * parscale[j];
                    x[i] = (k % 2 == 0 ? p[i] + ndeps : p[i] - ndeps) * parscale[i];
                    values[k] = fw(x);
                }
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        for (int i = 0; i < n; i++)
        {
            df[i] = (values[2 * i] - values[2 * i + 1]) / (2 * ndeps);
            if (!double.IsFinite(df[i])) throw new OptimizationException($"non-finite finite-difference value [{i + 1}]");
        }
    }

    /// <summary>
    /// optimhess: the Hessian at <paramref name="par"/> (unscaled) by central differences of <see cref="Gradient"/>,
    /// symmetrised, in the original coordinates.
    /// </summary>
    /// <remarks>
    /// optimhess takes the gradient at 2·n points around <paramref name="par"/>, 2·n evaluations each. A point of one
    /// gradient (coordinates i and j moved) is often, to the bit, a point of another (j and i moved: with parscale 1 the
    /// outer and inner steps are the same number), so the 4·n² points are collected first, each distinct one evaluated
    /// once (in batches where the objective has them), and the gradients formed from those values in optimhess's order:
    /// the same Hessian, and the same error where a difference is not finite.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double[,] Hessian(ReadOnlySpan<double> par)
    {
        int n = par.Length;
        var dpar = new double[n];
        for (int i = 0; i < n; i++) dpar[i] = par[i] / parscale[i];
        // The centres of optimhess's gradients, as it moves dpar (its +eps, −2·eps, +eps steps need not restore it exactly).
        var centres = new double[2 * n][];
        for (int i = 0; i < n; i++)
        {
            double eps = ndeps / parscale[i];
            dpar[i] = dpar[i] + eps;
            centres[2 * i] = (double[])dpar.Clone();
            dpar[i] = dpar[i] - 2 * eps;
            centres[2 * i + 1] = (double[])dpar.Clone();
            dpar[i] = dpar[i] + eps;
        }
        // Each gradient's points as fmingr forms them, and where each one's value is.
        var distinct = new Dictionary<double[], int>(PointComparer.Instance);
        var points = new List<double[]>();
        var slot = new int[2 * n, 2 * n];
        for (int g = 0; g < 2 * n; g++)
        {
            var p = centres[g];
            for (int k = 0; k < 2 * n; k++)
            {
                var x = new double[n];
                for (int j = 0; j < n; j++) x[j] = p[j] * parscale[j];
                int i = k / 2;
                x[i] = (k % 2 == 0 ? p[i] + ndeps : p[i] - ndeps) * parscale[i];
                if (!distinct.TryGetValue(x, out int index))
                {
                    index = points.Count;
                    distinct.Add(x, index);
                    points.Add(x);
                }
                slot[g, k] = index;
            }
        }
        var values = Evaluate(points);
        var df1 = new double[n];
        var df2 = new double[n];
        var h = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            double eps = ndeps / parscale[i];
            Differences(values, slot, 2 * i, df1);
            Differences(values, slot, 2 * i + 1, df2);
            for (int j = 0; j < n; j++) h[i, j] = (df1[j] - df2[j]) / (2 * eps * parscale[i] * parscale[j]);
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
            {
                double tmp = 0.5 * (h[i, j] + h[j, i]);
                h[i, j] = h[j, i] = tmp;
            }
        return h;
    }

    /// <summary>fmingr's differences for the gradient <paramref name="g"/> of <see cref="Hessian"/>.</summary>
    private void Differences(double[] values, int[,] slot, int g, double[] df)
    {
        for (int i = 0; i < df.Length; i++)
        {
            df[i] = (values[slot[g, 2 * i]] - values[slot[g, 2 * i + 1]]) / (2 * ndeps);
            if (!double.IsFinite(df[i])) throw new OptimizationException($"non-finite finite-difference value [{i + 1}]");
        }
    }

    /// <summary>The objective at each of <paramref name="points"/> (unscaled): batches of lanes, worker copies, or one by one.</summary>
    private double[] Evaluate(List<double[]> points)
    {
        var values = new double[points.Count];
        const int chunk = 32;
        if (fork is not null && parallelism > 1 && parscale.Length > 1)
        {
            int count = Math.Min(parallelism, points.Count);
            var workers = Enumerable.Range(0, count).Select(_ => fork()).ToArray();
            try
            {
                Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = count }, w =>
                {
                    for (int k = w; k < points.Count; k += count) values[k] = workers[w](points[k]);
                });
            }
            catch (AggregateException e) when (e.InnerExceptions.Count > 0)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            }
        }
        else if (batch is not null)
        {
            for (int start = 0; start < points.Count; start += chunk)
            {
                int count = Math.Min(chunk, points.Count - start);
                var part = new double[count];
                batch(points.GetRange(start, count).ToArray(), part);
                Array.Copy(part, 0, values, start, count);
            }
        }
        else
        {
            for (int k = 0; k < points.Count; k++) values[k] = f(points[k]);
        }
        return values;
    }

    /// <summary>Points equal when their coordinates are the same bits.</summary>
    private sealed class PointComparer : IEqualityComparer<double[]>
    {
        public static readonly PointComparer Instance = new();

        public bool Equals(double[]? a, double[]? b)
        {
            if (a is null || b is null || a.Length != b.Length) return ReferenceEquals(a, b);
            for (int i = 0; i < a.Length; i++)
                if (BitConverter.DoubleToInt64Bits(a[i]) != BitConverter.DoubleToInt64Bits(b[i])) return false;
            return true;
        }

        public int GetHashCode(double[] point)
        {
            var hash = new HashCode();
            foreach (double v in point) hash.Add(BitConverter.DoubleToInt64Bits(v));
            return hash.ToHashCode();
        }
    }
}
