namespace Forecast.Statistical.Optimization;

/// <summary>
/// The Nelder-Mead simplex minimiser of R's optim (src/appl/optim.c: <c>nmmin</c>, after J.C. Nash, Compact Numerical
/// Methods for Computers), step for step, so that a fit started where R starts ends where R ends. R forecast's
/// <c>ets()</c> calls exactly this (etsTargetFunctionWrapper.cpp: <c>etsNelderMead</c>).
/// </summary>
internal static class NelderMead
{
    /// <summary>optim.c: <c>big</c>, what a non-finite function value is replaced by.</summary>
    private const double Big = 1.0e+35;

    /// <param name="f">The objective.</param>
    /// <param name="start">Starting point (not changed).</param>
    /// <param name="abstol">Stop when the best value is at or below this (R: -Inf).</param>
    /// <param name="reltol">Relative convergence tolerance on the simplex's values (R: sqrt(.Machine$double.eps)).</param>
    /// <param name="alpha">Reflection factor (R: 1).</param>
    /// <param name="beta">Contraction factor (R: 0.5).</param>
    /// <param name="gamma">Expansion factor (R: 2).</param>
    /// <param name="maxit">Maximum number of function evaluations.</param>
    /// <returns>Null when <paramref name="f"/> is not finite at <paramref name="start"/> (R stops with "function cannot
    /// be evaluated at initial parameters").</returns>
    public static OptimizationResult? Minimize(Objective f, ReadOnlySpan<double> start, double abstol, double reltol,
        double alpha = 1.0, double beta = 0.5, double gamma = 2.0, int maxit = 500)
    {
        int n = start.Length;
        var bvec = start.ToArray();
        if (maxit <= 0) return new OptimizationResult(bvec, f(bvec), 0, 0);

        // P[i][j]: coordinate i of vertex j (rows 0..n-1) and the vertex's value (row n); column n+1 is the centroid.
        var p = new double[n + 1][];
        for (int i = 0; i <= n; i++) p[i] = new double[n + 2];
        int fail = 0;
        double value = f(bvec);
        if (!double.IsFinite(value)) return null;
        int funcount = 1;
        double convtol = reltol * (Math.Abs(value) + reltol);
        int n1 = n + 1;
        int c = n + 2;
        p[n1 - 1][0] = value;
        for (int i = 0; i < n; i++) p[i][0] = bvec[i];

        int l = 1;
        double size = 0.0;
        double step = 0.0;
        for (int i = 0; i < n; i++)
        {
            if (0.1 * Math.Abs(bvec[i]) > step) step = 0.1 * Math.Abs(bvec[i]);
        }
        if (step == 0.0) step = 0.1;
        for (int j = 2; j <= n1; j++)
        {
            for (int i = 0; i < n; i++) p[i][j - 1] = bvec[i];
            double trystep = step;
            while (p[j - 2][j - 1] == bvec[j - 2])
            {
                p[j - 2][j - 1] = bvec[j - 2] + trystep;
                trystep *= 10;
            }
            size += trystep;
        }
        double oldsize = size;
        bool calcvert = true;
        do
        {
            if (calcvert)
            {
                for (int j = 0; j < n1; j++)
                {
                    if (j + 1 != l)
                    {
                        for (int i = 0; i < n; i++) bvec[i] = p[i][j];
                        value = f(bvec);
                        if (!double.IsFinite(value)) value = Big;
                        funcount++;
                        p[n1 - 1][j] = value;
                    }
                }
                calcvert = false;
            }

            double vl = p[n1 - 1][l - 1];
            double vh = vl;
            int h = l;
            for (int j = 1; j <= n1; j++)
            {
                if (j != l)
                {
                    value = p[n1 - 1][j - 1];
                    if (value < vl) { l = j; vl = value; }
                    if (value > vh) { h = j; vh = value; }
                }
            }

            if (vh <= vl + convtol || vl <= abstol) break;

            for (int i = 0; i < n; i++)
            {
                double temp = -p[i][h - 1];
                for (int j = 0; j < n1; j++) temp += p[i][j];
                p[i][c - 1] = temp / n;
            }
            for (int i = 0; i < n; i++)
                bvec[i] = (1.0 + alpha) * p[i][c - 1] - alpha * p[i][h - 1];
            value = f(bvec);
            if (!double.IsFinite(value)) value = Big;
            funcount++;
            double vr = value;
            if (vr < vl)
            {
                p[n1 - 1][c - 1] = value;
                for (int i = 0; i < n; i++)
                {
                    value = gamma * bvec[i] + (1 - gamma) * p[i][c - 1];
                    p[i][c - 1] = bvec[i];
                    bvec[i] = value;
                }
                value = f(bvec);
                if (!double.IsFinite(value)) value = Big;
                funcount++;
                if (value < vr)
                {
                    for (int i = 0; i < n; i++) p[i][h - 1] = bvec[i];
                    p[n1 - 1][h - 1] = value;
                }
                else
                {
                    for (int i = 0; i < n; i++) p[i][h - 1] = p[i][c - 1];
                    p[n1 - 1][h - 1] = vr;
                }
            }
            else
            {
                if (vr < vh)
                {
                    for (int i = 0; i < n; i++) p[i][h - 1] = bvec[i];
                    p[n1 - 1][h - 1] = vr;
                }

                for (int i = 0; i < n; i++)
                    bvec[i] = (1 - beta) * p[i][h - 1] + beta * p[i][c - 1];
                value = f(bvec);
                if (!double.IsFinite(value)) value = Big;
                funcount++;

                if (value < p[n1 - 1][h - 1])
                {
                    for (int i = 0; i < n; i++) p[i][h - 1] = bvec[i];
                    p[n1 - 1][h - 1] = value;
                }
                else if (vr >= vh)
                {
                    // Shrink towards the lowest vertex.
                    calcvert = true;
                    size = 0.0;
                    for (int j = 0; j < n1; j++)
                    {
                        if (j + 1 != l)
                        {
                            for (int i = 0; i < n; i++)
                            {
                                p[i][j] = beta * (p[i][j] - p[i][l - 1]) + p[i][l - 1];
                                size += Math.Abs(p[i][j] - p[i][l - 1]);
                            }
                        }
                    }
                    if (size < oldsize)
                    {
                        oldsize = size;
                    }
                    else
                    {
                        fail = 10;
                        break;
                    }
                }
            }
        }
        while (funcount <= maxit);

        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = p[i][l - 1];
        if (funcount > maxit) fail = 1;
        return new OptimizationResult(x, p[n1 - 1][l - 1], funcount, fail);
    }
}
