using System.Runtime.Intrinsics;

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

        // nmmin's P, by vertices: vertex j's coordinates at [j·n, j·n + n), its value in values[j]; the centroid apart.
        // (nmmin keeps P by coordinates; stored by vertices the centroid's sums over the vertices run for four
        // coordinates at a time in vector lanes, each lane adding in nmmin's order — the same values.)
        int n1 = n + 1;
        var vertices = new double[n1 * n];
        var values = new double[n1];
        var centroid = new double[n];
        int fail = 0;
        yield return true;
        double value = _reported;
        if (!double.IsFinite(value)) yield break;
        int funcount = 1;
        double convtol = reltol * (Math.Abs(value) + reltol);
        values[0] = value;
        bvec.CopyTo(vertices, 0);

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
            bvec.CopyTo(vertices, (j - 1) * n);
            double trystep = step;
            while (vertices[(j - 1) * n + j - 2] == bvec[j - 2])
            {
                vertices[(j - 1) * n + j - 2] = bvec[j - 2] + trystep;
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
                        Array.Copy(vertices, j * n, bvec, 0, n);
                        yield return true;
                        value = _reported;
                        if (!double.IsFinite(value)) value = Big;
                        funcount++;
                        values[j] = value;
                    }
                }
                calcvert = false;
            }

            double vl = values[l - 1];
            double vh = vl;
            int h = l;
            for (int j = 1; j <= n1; j++)
            {
                if (j != l)
                {
                    value = values[j - 1];
                    if (value < vl) { l = j; vl = value; }
                    if (value > vh) { h = j; vh = value; }
                }
            }

            if (vh <= vl + convtol || vl <= abstol) break;

            Centroid(vertices, n, h - 1, centroid);
            int hi = (h - 1) * n;
            for (int i = 0; i < n; i++)
                bvec[i] = (1.0 + alpha) * centroid[i] - alpha * vertices[hi + i];
            yield return true;
            value = _reported;
            if (!double.IsFinite(value)) value = Big;
            funcount++;
            double vr = value;
            if (vr < vl)
            {
                for (int i = 0; i < n; i++)
                {
                    value = gamma * bvec[i] + (1 - gamma) * centroid[i];
                    centroid[i] = bvec[i];
                    bvec[i] = value;
                }
                yield return true;
                value = _reported;
                if (!double.IsFinite(value)) value = Big;
                funcount++;
                if (value < vr)
                {
                    bvec.CopyTo(vertices, hi);
                    values[h - 1] = value;
                }
                else
                {
                    centroid.CopyTo(vertices, hi);
                    values[h - 1] = vr;
                }
            }
            else
            {
                if (vr < vh)
                {
                    bvec.CopyTo(vertices, hi);
                    values[h - 1] = vr;
                }

                for (int i = 0; i < n; i++)
                    bvec[i] = (1 - beta) * vertices[hi + i] + beta * centroid[i];
                yield return true;
                value = _reported;
                if (!double.IsFinite(value)) value = Big;
                funcount++;

                if (value < values[h - 1])
                {
                    bvec.CopyTo(vertices, hi);
                    values[h - 1] = value;
                }
                else if (vr >= vh)
                {
                    // Shrink towards the lowest vertex.
                    calcvert = true;
                    size = 0.0;
                    int li = (l - 1) * n;
                    for (int j = 0; j < n1; j++)
                    {
                        if (j + 1 != l)
                        {
                            int ji = j * n;
                            for (int i = 0; i < n; i++)
                            {
                                vertices[ji + i] = beta * (vertices[ji + i] - vertices[li + i]) + vertices[li + i];
                                size += Math.Abs(vertices[ji + i] - vertices[li + i]);
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
        Array.Copy(vertices, (l - 1) * n, x, 0, n);
        if (funcount > maxit) fail = 1;
        Result = new OptimizationResult(x, values[l - 1], funcount, fail);
    }

    /// <summary>
    /// nmmin's centroid of the vertices but the highest: per coordinate −p[h] + p[0] + … + p[n] in that order, divided by
    /// n; four coordinates at a time in vector lanes, each lane the scalar sum's operations.
    /// </summary>
    private static void Centroid(double[] vertices, int n, int h, double[] centroid)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var count = Vector256.Create((double)n);
            var sign = Vector256.Create(-0.0); // −x exactly (a sign flip, as the scalar negation)
            for (; i + 4 <= n; i += 4)
            {
                var temp = Vector256.Create(vertices.AsSpan(h * n + i, 4)) ^ sign;
                for (int j = 0; j <= n; j++) temp += Vector256.Create(vertices.AsSpan(j * n + i, 4));
                (temp / count).CopyTo(centroid.AsSpan(i, 4));
            }
        }
        for (; i < n; i++)
        {
            double temp = -vertices[h * n + i];
            for (int j = 0; j <= n; j++) temp += vertices[j * n + i];
            centroid[i] = temp / n;
        }
    }
}
