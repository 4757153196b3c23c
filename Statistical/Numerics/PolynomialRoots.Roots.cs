namespace Forecast.Statistical.Numerics;

internal sealed partial class PolynomialRoots
{
    /// <summary>
    /// The zeros of a0 + a1·z + … + ak·z^k (R's <c>polyroot(a)</c>, trailing zero coefficients dropped), or null when
    /// the algorithm fails (R stops with "root finding code failed").
    /// </summary>
    public static (double[] Re, double[] Im)? Roots(ReadOnlySpan<double> increasing)
    {
        int degree = 0;
        for (int i = 0; i < increasing.Length; i++)
            if (increasing[i] != 0.0) degree = i;
        if (degree < 1) return ([], []);
        var opr = new double[degree + 1];
        var opi = new double[degree + 1];
        for (int i = 0; i <= degree; i++) opr[degree - i] = increasing[i];
        var zr = new double[degree];
        var zi = new double[degree];
        if (!new PolynomialRoots().Find(opr, opi, degree, zr, zi)) return null;
        return (zr, zi);
    }
}
