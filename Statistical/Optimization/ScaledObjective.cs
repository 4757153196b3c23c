namespace Forecast.Statistical.Optimization;

/// <summary>
/// An objective in R optim's scaled coordinates (stats/src/optim.c: <c>fminfn</c>, <c>fmingr</c>): the optimiser
/// works on p = par / parscale; the function sees p · parscale. Gradients are central differences with step
/// <c>ndeps</c> (1e-3) in the scaled coordinates, as R computes them when no gradient function is given.
/// </summary>
internal sealed class ScaledObjective(Objective f, double[] parscale, double ndeps = 1e-3)
{
    private readonly double[] _x = new double[parscale.Length];

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

    /// <summary>fmingr, numerical branch without bounds.</summary>
    public void Gradient(ReadOnlySpan<double> p, Span<double> df)
    {
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
