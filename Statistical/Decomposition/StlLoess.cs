namespace Forecast.Statistical.Decomposition;

/// <summary>
/// The loess smoother of STL, ported from netlib stl.f (Cleveland, Cleveland, McRae and Terpenning 1990):
/// <see cref="Estimate"/> is <c>stlest</c> (one tricube-weighted local constant/linear fit) and
/// <see cref="Smooth"/> is <c>stless</c> (fits at every <c>jump</c>-th point, linear interpolation between).
/// Positions are 1-based as in the Fortran, so a reader can hold the two side by side.
/// </summary>
public static class StlLoess
{
    /// <summary>stl.f <c>stlest</c>: the fit at <paramref name="xs"/> from points nleft..nright; false when every weight is zero.</summary>
    public static bool Estimate(ReadOnlySpan<double> y, int n, int len, int degree, double xs, int nleft, int nright,
        Span<double> w, bool useRobustnessWeights, ReadOnlySpan<double> rw, out double ys)
    {
        double range = n - 1.0;
        double h = Math.Max(xs - nleft, nright - xs);
        if (len > n) h += (len - n) / 2; // integer division, as in the Fortran
        double h9 = 0.999 * h, h1 = 0.001 * h;
        double a = 0;
        for (int j = nleft; j <= nright; j++)
        {
            w[j - 1] = 0;
            double r = Math.Abs(j - xs);
            if (r > h9) continue;
            // Tricube weights (stl.f: (1 - (r/h)^3)^3), exactly 1 very close to xs.
            if (r <= h1) w[j - 1] = 1;
            else
            {
                double q = r / h;
                double u = 1 - q * q * q;
                w[j - 1] = u * u * u;
            }
            if (useRobustnessWeights) w[j - 1] *= rw[j - 1];
            a += w[j - 1];
        }
        if (a <= 0)
        {
            ys = 0;
            return false;
        }
        for (int j = nleft; j <= nright; j++) w[j - 1] /= a;
        if (h > 0 && degree > 0)
        {
            // Local linear fit written as a reweighting of the local constant one (stl.f, ideg > 0).
            a = 0;
            for (int j = nleft; j <= nright; j++) a += w[j - 1] * j;
            double b = xs - a;
            double c = 0;
            for (int j = nleft; j <= nright; j++) c += w[j - 1] * (j - a) * (j - a);
            if (Math.Sqrt(c) > 0.001 * range)
            {
                b /= c;
                for (int j = nleft; j <= nright; j++) w[j - 1] *= b * (j - a) + 1;
            }
        }
        double sum = 0;
        for (int j = nleft; j <= nright; j++) sum += w[j - 1] * y[j - 1];
        ys = sum;
        return true;
    }

    /// <summary>stl.f <c>stless</c>: loess of y (length n) with window len into ys; work has length ≥ n.</summary>
    public static void Smooth(ReadOnlySpan<double> y, int n, int len, int degree, int jump,
        bool useRobustnessWeights, ReadOnlySpan<double> rw, Span<double> ys, Span<double> work)
    {
        if (n < 2)
        {
            ys[0] = y[0];
            return;
        }
        int newnj = Math.Min(jump, n - 1);
        int nleft = 0, nright = 0;
        if (len >= n)
        {
            nleft = 1;
            nright = n;
            for (int i = 1; i <= n; i += newnj) Fit(y, n, len, degree, i, nleft, nright, work, useRobustnessWeights, rw, ys);
        }
        else if (newnj == 1)
        {
            int nsh = (len + 1) / 2;
            nleft = 1;
            nright = len;
            for (int i = 1; i <= n; i++)
            {
                if (i > nsh && nright != n)
                {
                    nleft++;
                    nright++;
                }
                Fit(y, n, len, degree, i, nleft, nright, work, useRobustnessWeights, rw, ys);
            }
        }
        else
        {
            int nsh = (len + 1) / 2;
            for (int i = 1; i <= n; i += newnj)
            {
                if (i < nsh)
                {
                    nleft = 1;
                    nright = len;
                }
                else if (i >= n - nsh + 1)
                {
                    nleft = n - len + 1;
                    nright = n;
                }
                else
                {
                    nleft = i - nsh + 1;
                    nright = len + i - nsh;
                }
                Fit(y, n, len, degree, i, nleft, nright, work, useRobustnessWeights, rw, ys);
            }
        }

        if (newnj == 1) return;
        for (int i = 1; i <= n - newnj; i += newnj)
        {
            double delta = (ys[i + newnj - 1] - ys[i - 1]) / newnj;
            for (int j = i + 1; j <= i + newnj - 1; j++) ys[j - 1] = ys[i - 1] + delta * (j - i);
        }
        int k = (n - 1) / newnj * newnj + 1;
        if (k == n) return;
        Fit(y, n, len, degree, n, nleft, nright, work, useRobustnessWeights, rw, ys);
        if (k == n - 1) return;
        double last = (ys[n - 1] - ys[k - 1]) / (n - k);
        for (int j = k + 1; j <= n - 1; j++) ys[j - 1] = ys[k - 1] + last * (j - k);
    }

    /// <summary>One fit at position i; where no point has weight the data value is kept (stl.f).</summary>
    private static void Fit(ReadOnlySpan<double> y, int n, int len, int degree, int i, int nleft, int nright,
        Span<double> work, bool useRobustnessWeights, ReadOnlySpan<double> rw, Span<double> ys)
    {
        ys[i - 1] = Estimate(y, n, len, degree, i, nleft, nright, work, useRobustnessWeights, rw, out double v) ? v : y[i - 1];
    }
}
