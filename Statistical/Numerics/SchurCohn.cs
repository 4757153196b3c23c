namespace Forecast.Statistical.Numerics;

/// <summary>
/// The Schur-Cohn criterion (Marden, Geometry of Polynomials, §43): whether every zero of a polynomial lies inside a
/// circle, in O(d²) operations and without finding the zeros. A(z) has all zeros in |z| &lt; 1 iff |a0| &lt; |ad| and
/// the same holds for its Schur transform (ad·A(z) − a0·A*(z))/z.
/// </summary>
internal static class SchurCohn
{
    /// <summary>
    /// True when every zero of a0 + a1 z + … + ad z^d (<paramref name="increasing"/>, ad ≠ 0) has modulus below
    /// <paramref name="radius"/>. <paramref name="work"/> needs 2(d + 1) elements.
    /// </summary>
    public static bool AllZerosInside(ReadOnlySpan<double> increasing, double radius, Span<double> work)
    {
        int d = increasing.Length - 1;
        while (d > 0 && increasing[d] == 0) d--;
        if (d == 0) return true;
        var next = work[(d + 1)..];
        work = work[..(d + 1)];
        // Zeros of A inside |z| < r  <=>  zeros of A(r w) inside |w| < 1.
        double scale = 1;
        for (int i = 0; i <= d; i++)
        {
            work[i] = increasing[i] * scale;
            scale *= radius;
        }
        for (int degree = d; degree > 0; degree--)
        {
            double lead = work[degree], constant = work[0];
            if (Math.Abs(constant) >= Math.Abs(lead)) return false;
            for (int k = 0; k < degree; k++) next[k] = lead * work[k + 1] - constant * work[degree - 1 - k];
            // Keep the coefficients near 1 (the transform squares their size at every step).
            double max = 0;
            for (int k = 0; k < degree; k++) max = Math.Max(max, Math.Abs(next[k]));
            if (max == 0) return false;
            double inverse = 1 / max;
            for (int k = 0; k < degree; k++) work[k] = next[k] * inverse;
        }
        return true;
    }
}
