using System.Numerics;

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
    /// <paramref name="radius"/>. <paramref name="work"/> needs 4(d + 1) elements.
    /// </summary>
    public static bool AllZerosInside(ReadOnlySpan<double> increasing, double radius, Span<double> work)
    {
        int d = increasing.Length - 1;
        while (d > 0 && increasing[d] == 0) d--;
        if (d == 0) return true;
        // The coefficients w and, beside them, the reversed ones r (r[k] = w[degree − k]): the transform's
        // coefficients, lead·w[k+1] − w0·w[degree−1−k], are then lead·w[k+1] − w0·r[k+1], and its reversed ones
        // lead·r[k] − w0·w[k] — both over contiguous runs, so they take vector operations (the same operations on
        // every element as one at a time, hence the same values).
        var w = work[..(d + 1)];
        var r = work.Slice(d + 1, d + 1);
        var next = work.Slice(2 * (d + 1), d + 1);
        var nextReversed = work.Slice(3 * (d + 1), d + 1);
        // Zeros of A inside |z| < r  <=>  zeros of A(r w) inside |w| < 1.
        double scale = 1;
        for (int i = 0; i <= d; i++)
        {
            w[i] = increasing[i] * scale;
            r[d - i] = w[i];
            scale *= radius;
        }
        for (int degree = d; degree > 0; degree--)
        {
            double lead = w[degree], constant = w[0];
            if (Math.Abs(constant) >= Math.Abs(lead)) return false;
            Transform(lead, constant, w.Slice(1, degree), r.Slice(1, degree), next[..degree]);
            Transform(lead, constant, r[..degree], w[..degree], nextReversed[..degree]);
            // Keep the coefficients near 1 (the transform squares their size at every step).
            double max = MaxAbs(next[..degree]);
            if (max == 0) return false;
            double inverse = 1 / max;
            Scale(next[..degree], inverse, w[..degree]);
            Scale(nextReversed[..degree], inverse, r[..degree]);
        }
        return true;
    }

    /// <summary>result[k] = lead·a[k] − constant·b[k].</summary>
    private static void Transform(double lead, double constant, ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> result)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vl = new Vector<double>(lead);
            var vc = new Vector<double>(constant);
            for (; k + Vector<double>.Count <= result.Length; k += Vector<double>.Count)
                (vl * new Vector<double>(a[k..]) - vc * new Vector<double>(b[k..])).CopyTo(result[k..]);
        }
        for (; k < result.Length; k++) result[k] = lead * a[k] - constant * b[k];
    }

    private static double MaxAbs(ReadOnlySpan<double> x)
    {
        double max = 0;
        int k = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
        {
            var vmax = Vector<double>.Zero;
            for (; k + Vector<double>.Count <= x.Length; k += Vector<double>.Count)
                vmax = Vector.Max(vmax, Vector.Abs(new Vector<double>(x[k..])));
            for (int j = 0; j < Vector<double>.Count; j++) max = Math.Max(max, vmax[j]);
        }
        for (; k < x.Length; k++) max = Math.Max(max, Math.Abs(x[k]));
        return max;
    }

    private static void Scale(ReadOnlySpan<double> x, double factor, Span<double> result)
    {
        int k = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vf = new Vector<double>(factor);
            for (; k + Vector<double>.Count <= x.Length; k += Vector<double>.Count)
                (new Vector<double>(x[k..]) * vf).CopyTo(result[k..]);
        }
        for (; k < x.Length; k++) result[k] = x[k] * factor;
    }
}
