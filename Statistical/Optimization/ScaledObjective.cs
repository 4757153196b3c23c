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
    public double[,] Hessian(ReadOnlySpan<double> par)
    {
        int n = par.Length;
        var dpar = new double[n];
        for (int i = 0; i < n; i++) dpar[i] = par[i] / parscale[i];
        var df1 = new double[n];
        var df2 = new double[n];
        var h = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            double eps = ndeps / parscale[i];
            dpar[i] = dpar[i] + eps;
            Gradient(dpar, df1);
            dpar[i] = dpar[i] - 2 * eps;
            Gradient(dpar, df2);
            for (int j = 0; j < n; j++) h[i, j] = (df1[j] - df2[j]) / (2 * eps * parscale[i] * parscale[j]);
            dpar[i] = dpar[i] + eps;
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
            {
                double tmp = 0.5 * (h[i, j] + h[j, i]);
                h[i, j] = h[j, i] = tmp;
            }
        return h;
    }
}
