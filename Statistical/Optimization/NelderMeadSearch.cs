namespace Forecast.Statistical.Optimization;

/// <summary>
/// <see cref="NelderMead.Minimize"/> turned inside out: the search asks for one value at a time (<see cref="Point"/>,
/// then <see cref="Report"/>), so that a caller can evaluate the points of several independent searches together —
/// AutoEts runs the recursions of two forms in one loop, whose two chains of dependent operations the processor
/// overlaps. The steps, hence the result, are those of <see cref="NelderMead.Minimize"/>.
/// </summary>
internal sealed class NelderMeadSearch
{
    /// <summary>optim.c: <c>big</c>, what a non-finite function value is replaced by.</summary>
    private const double Big = 1.0e+35;

    private readonly double[] _point;
    private readonly IEnumerator<bool> _steps;
    private double _reported;

    public NelderMeadSearch(ReadOnlySpan<double> start, double abstol, double reltol, double alpha = 1.0, double beta = 0.5,
        double gamma = 2.0, int maxit = 500)
    {
        _point = new double[start.Length];
        _steps = Steps(start.ToArray(), abstol, reltol, alpha, beta, gamma, maxit).GetEnumerator();
    }

    /// <summary>The point whose value the search needs next (valid after <see cref="Next"/> returned true; not to be changed).</summary>
    public ReadOnlySpan<double> Point => _point;

    /// <summary>The result once <see cref="Next"/> returned false; null when the objective is not finite at the start.</summary>
    public OptimizationResult? Result { get; private set; }

    /// <summary>Advances to the next point to evaluate; false when the search is over.</summary>
    public bool Next() => _steps.MoveNext();

    /// <summary>The objective's value at <see cref="Point"/>.</summary>
    public void Report(double value) => _reported = value;

    private IEnumerable<bool> Steps(double[] start, double abstol, double reltol, double alpha, double beta, double gamma, int maxit)
    {
        int n = start.Length;
        var bvec = _point;
        start.CopyTo(bvec, 0);
        if (maxit <= 0)
        {
            yield return true;
            Result = new OptimizationResult((double[])bvec.Clone(), _reported, 0, 0);
            yield break;
        }

        // P[i][j]: coordinate i of vertex j (rows 0..n-1) and the vertex's value (row n); column n+1 is the centroid.
        var p = new double[n + 1][];
        for (int i = 0; i <= n; i++) p[i] = new double[n + 2];
        int fail = 0;
        yield return true;
        double value = _reported;
        if (!double.IsFinite(value)) yield break;
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
                        yield return true;
                        value = _reported;
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
            yield return true;
                        value = _reported;
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
                yield return true;
                        value = _reported;
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
                yield return true;
                        value = _reported;
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
        Result = new OptimizationResult(x, p[n1 - 1][l - 1], funcount, fail);
    }
}
