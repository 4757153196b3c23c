using System.Runtime.Intrinsics;

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
        var w = work[..(d + 1)];
        var next = work.Slice(d + 1, d + 1);
        // Zeros of A inside |z| < r  <=>  zeros of A(r w) inside |w| < 1.
        double scale = 1;
        for (int i = 0; i <= d; i++)
        {
            w[i] = increasing[i] * scale;
            scale *= radius;
        }
        for (int degree = d; degree > 0; degree--)
        {
            double lead = w[degree], constant = w[0];
            if (Math.Abs(constant) >= Math.Abs(lead)) return false;
            // The transform's coefficients: lead·w[k+1] − w0·w[degree−1−k] (A* reverses the coefficients).
            // The largest modulus by maxsd (one cycle, where Math.Max's NaN and signed-zero rules chain three
            // instructions per coefficient); a NaN, which maxsd may drop, makes it NaN as Math.Max would.
            double max = 0;
            bool nan = false;
            for (int k = 0; k < degree; k++)
            {
                double v = lead * w[k + 1] - constant * w[degree - 1 - k];
                next[k] = v;
                max = double.MaxNative(max, Math.Abs(v));
                nan |= double.IsNaN(v);
            }
            if (nan) max = double.NaN;
            // Keep the coefficients near 1 (the transform squares their size at every step).
            if (max == 0) return false;
            double inverse = 1 / max;
            for (int k = 0; k < degree; k++) w[k] = next[k] * inverse;
        }
        return true;
    }

    /// <summary>
    /// <see cref="AllZerosInside"/> of four polynomials of one degree at once, one per vector lane (coefficient k of
    /// polynomial j at <paramref name="increasing"/>[4k + j], the leading ones nonzero): bit j of the result is set when
    /// every zero of polynomial j lies below <paramref name="radius"/>. Each lane performs the single test's operations
    /// (a lane that fails carries on, its result fixed, until all four have failed), so the decisions are the single tests'.
    /// <paramref name="work"/> needs 2·<paramref name="increasing"/>.Length elements.
    /// </summary>
    public static int AllZerosInside4(ReadOnlySpan<double> increasing, double radius, Span<double> work)
    {
        int d = increasing.Length / 4 - 1;
        var w = work[..(4 * (d + 1))];
        var next = work.Slice(4 * (d + 1), 4 * (d + 1));
        double scale = 1;
        for (int i = 0; i <= d; i++)
        {
            (Vector256.Create(increasing.Slice(4 * i, 4)) * scale).CopyTo(w.Slice(4 * i, 4));
            scale *= radius;
        }
        var failed = Vector256<double>.Zero;
        for (int degree = d; degree > 0; degree--)
        {
            var lead = Vector256.Create(w.Slice(4 * degree, 4));
            var constant = Vector256.Create(w[..4]);
            failed |= Vector256.GreaterThanOrEqual(Vector256.Abs(constant), Vector256.Abs(lead));
            // Once every lane has failed the result is decided (a failed lane's bit stays clear).
            if (failed.ExtractMostSignificantBits() == 0xF) return 0;
            var max = Vector256<double>.Zero;
            var nan = Vector256<double>.Zero;
            for (int k = 0; k < degree; k++)
            {
                var v = lead * Vector256.Create(w.Slice(4 * (k + 1), 4)) - constant * Vector256.Create(w.Slice(4 * (degree - 1 - k), 4));
                v.CopyTo(next.Slice(4 * k, 4));
                max = Vector256.MaxNative(max, Vector256.Abs(v));
                nan |= ~Vector256.Equals(v, v);
            }
            max = Vector256.ConditionalSelect(nan, Vector256.Create(double.NaN), max);
            failed |= Vector256.Equals(max, Vector256<double>.Zero);
            var inverse = Vector256<double>.One / max;
            for (int k = 0; k < degree; k++) (Vector256.Create(next.Slice(4 * k, 4)) * inverse).CopyTo(w.Slice(4 * k, 4));
        }
        return (int)(~failed).ExtractMostSignificantBits() & 0xF;
    }
}
