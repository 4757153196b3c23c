namespace Forecast.Statistical.Numerics;

/// <summary>
/// R's <c>solve(a, b)</c> (LAPACK dgesv, LU with partial pivoting) with its singularity rules: an exactly zero pivot,
/// or a reciprocal 1-norm condition number below .Machine$double.eps, is an error (here: null). stats::arima relies
/// on that error to reject fits whose Hessian is singular.
/// </summary>
internal static class LinearSolve
{
    /// <summary>a⁻¹·b (b has one column per right-hand side), or null where R's solve() stops.</summary>
    public static double[,]? Solve(double[,] a, double[,] b)
    {
        int n = a.GetLength(0);
        int k = b.GetLength(1);
        var lu = (double[,])a.Clone();
        var piv = new int[n];
        if (!Factor(lu, piv)) return null;
        // Reciprocal condition number in the 1-norm, from the exact inverse (the matrices here are small).
        double anorm = OneNorm(a);
        var identity = new double[n, n];
        for (int i = 0; i < n; i++) identity[i, i] = 1;
        var inverse = Substitute(lu, piv, identity);
        double rcond = anorm == 0 ? 0 : 1 / (anorm * OneNorm(inverse));
        if (!(rcond >= 2.220446049250313e-16)) return null;
        return Substitute(lu, piv, b);
    }

    private static bool Factor(double[,] a, int[] piv)
    {
        int n = a.GetLength(0);
        for (int j = 0; j < n; j++)
        {
            int p = j;
            double max = Math.Abs(a[j, j]);
            for (int i = j + 1; i < n; i++)
            {
                if (Math.Abs(a[i, j]) > max)
                {
                    max = Math.Abs(a[i, j]);
                    p = i;
                }
            }
            piv[j] = p;
            if (a[p, j] == 0) return false;
            if (p != j)
            {
                for (int c = 0; c < n; c++) (a[j, c], a[p, c]) = (a[p, c], a[j, c]);
            }
            double inv = 1 / a[j, j];
            for (int i = j + 1; i < n; i++)
            {
                a[i, j] *= inv;
                double l = a[i, j];
                if (l == 0) continue;
                for (int c = j + 1; c < n; c++) a[i, c] -= l * a[j, c];
            }
        }
        return true;
    }

    private static double[,] Substitute(double[,] lu, int[] piv, double[,] b)
    {
        int n = lu.GetLength(0), k = b.GetLength(1);
        var x = (double[,])b.Clone();
        for (int j = 0; j < n; j++)
        {
            if (piv[j] != j)
                for (int c = 0; c < k; c++) (x[j, c], x[piv[j], c]) = (x[piv[j], c], x[j, c]);
        }
        for (int c = 0; c < k; c++)
        {
            for (int i = 1; i < n; i++)
            {
                double s = x[i, c];
                for (int j = 0; j < i; j++) s -= lu[i, j] * x[j, c];
                x[i, c] = s;
            }
            for (int i = n - 1; i >= 0; i--)
            {
                double s = x[i, c];
                for (int j = i + 1; j < n; j++) s -= lu[i, j] * x[j, c];
                x[i, c] = s / lu[i, i];
            }
        }
        return x;
    }

    private static double OneNorm(double[,] a)
    {
        int n = a.GetLength(0), m = a.GetLength(1);
        double max = 0;
        for (int j = 0; j < m; j++)
        {
            double s = 0;
            for (int i = 0; i < n; i++) s += Math.Abs(a[i, j]);
            if (double.IsNaN(s)) return double.NaN;
            max = Math.Max(max, s);
        }
        return max;
    }
}
