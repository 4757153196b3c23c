namespace Forecast.Statistical.Numerics;

/// <summary>Small dense matrix helpers (row-major double[,]) for the forecast-variance formulas.</summary>
internal static class Matrix
{
    public static double[,] Identity(int n)
    {
        var a = new double[n, n];
        for (int i = 0; i < n; i++) a[i, i] = 1;
        return a;
    }

    public static double[,] Multiply(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), k = a.GetLength(1), m = b.GetLength(1);
        if (b.GetLength(0) != k) throw new ArgumentException("Inner dimensions differ.");
        var c = new double[n, m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int l = 0; l < k; l++) s += a[i, l] * b[l, j];
                c[i, j] = s;
            }
        return c;
    }

    /// <summary>
    /// <see cref="Multiply"/> for products where one factor is mostly zeros (the forecast variances' shift, smoothing
    /// and Kronecker matrices): every sum still runs over l in ascending order from +0, but the terms whose factor in the
    /// sparser matrix is zero are skipped. With the other factor finite those terms are ±0, and adding ±0 changes
    /// neither a non-zero partial sum nor a +0 one, so the result is <see cref="Multiply"/>'s to the bit; where the other
    /// factor holds an infinity or NaN (0·∞ is NaN), <see cref="Multiply"/> runs. The work is the sparse factor's
    /// non-zeros times the other dimension instead of n·k·m.
    /// </summary>
    public static double[,] MultiplySparse(double[,] a, double[,] b)
    {
        int n = a.GetLength(0), k = a.GetLength(1), m = b.GetLength(1);
        if (b.GetLength(0) != k) throw new ArgumentException("Inner dimensions differ.");
        var sparseLeft = CountZeros(a) * (long)b.Length >= CountZeros(b) * (long)a.Length;
        if (!AllFinite(sparseLeft ? b : a))
            return Multiply(a, b);
        var c = new double[n, m];
        if (sparseLeft)
        {
            // Row i of c gathers a[i, l]·b[l, ·] for the non-zero a[i, l], l ascending.
            for (int i = 0; i < n; i++)
                for (int l = 0; l < k; l++)
                {
                    var factor = a[i, l];
                    if (factor == 0) continue;
                    for (int j = 0; j < m; j++) c[i, j] += factor * b[l, j];
                }
        }
        else
        {
            // Column j of c gathers a[·, l]·b[l, j] for the non-zero b[l, j], l ascending.
            for (int j = 0; j < m; j++)
                for (int l = 0; l < k; l++)
                {
                    var factor = b[l, j];
                    if (factor == 0) continue;
                    for (int i = 0; i < n; i++) c[i, j] += a[i, l] * factor;
                }
        }
        return c;
    }

    private static long CountZeros(double[,] a)
    {
        long zeros = 0;
        foreach (var value in a)
            if (value == 0) zeros++;
        return zeros;
    }

    private static bool AllFinite(double[,] a)
    {
        foreach (var value in a)
            if (!double.IsFinite(value)) return false;
        return true;
    }

    public static double[,] Transpose(double[,] a)
    {
        int n = a.GetLength(0), m = a.GetLength(1);
        var t = new double[m, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) t[j, i] = a[i, j];
        return t;
    }

    public static double[,] Add(double[,] a, double[,] b, double scaleB = 1)
    {
        int n = a.GetLength(0), m = a.GetLength(1);
        var c = new double[n, m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) c[i, j] = a[i, j] + scaleB * b[i, j];
        return c;
    }

    public static double[,] Scale(double[,] a, double s)
    {
        int n = a.GetLength(0), m = a.GetLength(1);
        var c = new double[n, m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++) c[i, j] = a[i, j] * s;
        return c;
    }

    /// <summary>The Kronecker product a ⊗ b (R's <c>a %x% b</c>).</summary>
    public static double[,] Kronecker(double[,] a, double[,] b)
    {
        int ar = a.GetLength(0), ac = a.GetLength(1), br = b.GetLength(0), bc = b.GetLength(1);
        var c = new double[ar * br, ac * bc];
        for (int i = 0; i < ar; i++)
            for (int j = 0; j < ac; j++)
                for (int k = 0; k < br; k++)
                    for (int l = 0; l < bc; l++) c[i * br + k, j * bc + l] = a[i, j] * b[k, l];
        return c;
    }

    /// <summary>Column-major vectorisation (R's <c>c(M)</c>) as a column matrix.</summary>
    public static double[,] Vec(double[,] a)
    {
        int n = a.GetLength(0), m = a.GetLength(1);
        var v = new double[n * m, 1];
        for (int j = 0; j < m; j++)
            for (int i = 0; i < n; i++) v[j * n + i, 0] = a[i, j];
        return v;
    }
}
