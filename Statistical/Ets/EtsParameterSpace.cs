using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Forecast.Statistical.Numerics;

namespace Forecast.Statistical.Ets;

/// <summary>
/// Which smoothing parameters R forecast's <c>ets()</c> accepts: the "usual" box (lower ≤ α ≤ upper, β ≤ α, γ ≤ 1 − α,
/// φ in its range) and the "admissible" region of Hyndman, Akram and Archibald (2008), where the model's forecasts
/// forget the distant past (the roots of the characteristic equation inside the unit circle). <c>bounds = "both"</c>,
/// the default, takes the intersection (etsTargetFunction.cpp: <c>check_params</c>, <c>admissible</c>).
/// </summary>
internal static class EtsParameterSpace
{
    /// <summary>R's limit on the roots' moduli (admissible iff every root has modulus at most this).</summary>
    private const double RootLimit = 1 + 1e-10;

    /// <summary>How far from <see cref="RootLimit"/> the Schur-Cohn test decides alone.</summary>
    private const double RootBand = 1e-8;

    /// <summary>What <see cref="CheckDeferred"/> found.</summary>
    public enum Verdict
    {
        /// <summary>Outside the parameter space.</summary>
        Rejected,

        /// <summary>Inside.</summary>
        Accepted,

        /// <summary>Inside but for the admissible region's root condition (<see cref="RootCondition"/>), left to the caller.</summary>
        Roots,
    }

    /// <summary>check_params: <paramref name="hasBeta"/>/<paramref name="hasGamma"/>/<paramref name="hasPhi"/> say which parameters are estimated.</summary>
    public static bool Check(EtsBounds bounds, double[] lower, double[] upper, double alpha, double beta, double gamma, double phi,
        bool hasBeta, bool hasGamma, bool hasPhi, int m) =>
        CheckDeferred(bounds, lower, upper, alpha, beta, gamma, phi, hasBeta, hasGamma, hasPhi, m) switch
        {
            Verdict.Accepted => true,
            Verdict.Roots => RootCondition(alpha, hasBeta ? beta : 0, gamma, phi, m),
            _ => false,
        };

    /// <summary>
    /// <see cref="Check"/> without the admissible region's root condition, so that a caller can decide those of several
    /// parameter sets together (<see cref="RootConditions"/>): the conditions are independent, so their order does not
    /// change the verdict.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Verdict CheckDeferred(EtsBounds bounds, double[] lower, double[] upper, double alpha, double beta, double gamma,
        double phi, bool hasBeta, bool hasGamma, bool hasPhi, int m)
    {
        if (bounds != EtsBounds.Admissible && !Usual(lower, upper, alpha, beta, gamma, phi, hasBeta, hasGamma, hasPhi))
            return Verdict.Rejected;
        if (bounds == EtsBounds.Usual) return Verdict.Accepted;
        return LinearConditions(alpha, hasBeta ? beta : 0, gamma, phi, hasBeta, hasGamma, m) switch
        {
            false => Verdict.Rejected,
            true => Verdict.Accepted,
            null => Verdict.Roots,
        };
    }

    /// <summary>check_params' "usual" box: lower ≤ α ≤ upper, β ≤ α, γ ≤ 1 − α, φ in its range.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Usual(double[] lower, double[] upper, double alpha, double beta, double gamma, double phi, bool hasBeta,
        bool hasGamma, bool hasPhi)
    {
        if (alpha < lower[0] || alpha > upper[0]) return false;
        if (hasBeta && (beta < lower[1] || beta > alpha || beta > upper[1])) return false;
        if (hasPhi && (phi < lower[3] || phi > upper[3])) return false;
        if (hasGamma && (gamma < lower[2] || gamma > 1 - alpha || gamma > upper[2])) return false;
        return true;
    }

    /// <summary>admissible: the region of Hyndman, Akram &amp; Archibald (2008), Annals of the ISM 60(2).</summary>
    public static bool Admissible(double alpha, double beta, double gamma, double phi, bool hasBeta, bool hasGamma, int m) =>
        LinearConditions(alpha, beta, gamma, phi, hasBeta, hasGamma, m) ?? RootCondition(alpha, hasBeta ? beta : 0, gamma, phi, m);

    /// <summary>
    /// admissible's conditions before the characteristic equation's roots: false or true where they decide, null where
    /// the root condition (<see cref="RootCondition"/>, seasonal forms with m &gt; 1) remains.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool? LinearConditions(double alpha, double beta, double gamma, double phi, bool hasBeta, bool hasGamma, int m)
    {
        if (phi < 0 || phi > 1 + 1e-8) return false;
        if (!hasGamma)
        {
            if (alpha < 1 - 1 / phi || alpha > 1 + 1 / phi) return false;
            if (hasBeta && (beta < alpha * (phi - 1) || beta > (1 + phi) * (2 - alpha))) return false;
        }
        else if (m > 1)
        {
            if (!hasBeta) beta = 0;
            double d = 1 - 1 / phi - alpha;
            if (gamma < (d > 0 ? d : 0) || gamma > 1 + 1 / phi - alpha) return false;
            if (alpha < 1 - 1 / phi - gamma * (1 - m + phi + phi * m) / (2 * phi * m)) return false;
            if (beta < -(1 - phi) * (gamma / m + alpha)) return false;
            return null;
        }
        return true;
    }

    /// <summary>
    /// The characteristic equation's coefficients, in increasing powers (m + 2 of them):
    /// phi(1-a-g) + (a+b-a·phi+g-1) z + (a+b-a·phi)(z^2..z^(m-1)) + (a+b-phi) z^m + z^(m+1).
    /// </summary>
    private static void Characteristic(double alpha, double beta, double gamma, double phi, int m, Span<double> poly)
    {
        poly[0] = phi * (1 - alpha - gamma);
        poly[1] = alpha + beta - alpha * phi + gamma - 1;
        for (int i = 2; i < m; i++) poly[i] = alpha + beta - alpha * phi;
        poly[m] = alpha + beta - phi;
        poly[m + 1] = 1;
    }

    /// <summary>
    /// The polynomial the Schur-Cohn test takes, from the characteristic one (<paramref name="poly"/>): itself, or, when
    /// phi = 1 and beta = 0, its quotient by z − 1 (P(1) = m·beta = 0 then: z = 1 is a root, which R's test counts at
    /// modulus 1 and the strict Schur-Cohn test must not see). Written into <paramref name="test"/>; returns its length.
    /// </summary>
    private static int TestPolynomial(ReadOnlySpan<double> poly, double beta, double phi, int m, Span<double> test)
    {
        if (phi == 1 && beta == 0)
        {
            test[m] = poly[m + 1];
            for (int k = m; k >= 1; k--) test[k - 1] = poly[k] + test[k];
            return m + 1;
        }
        poly[..(m + 2)].CopyTo(test);
        return m + 2;
    }

    /// <summary>
    /// admissible's root condition, R's <c>max(Mod(polyroot(P))) &lt;= 1 + 1e-10</c>. The Schur-Cohn test settles it
    /// without finding the roots unless one lies within 1e-8 of that radius; only then are they found as R finds them.
    /// (Fits with alpha near 1 and gamma near its lower bound put all m roots within 1e-5 of the unit circle, at
    /// 1 - 1e-7 or so: a wider band sent most of their evaluations to the root finder.)
    /// </summary>
    public static bool RootCondition(double alpha, double beta, double gamma, double phi, int m)
    {
        Span<double> poly = stackalloc double[m + 2];
        Span<double> test = stackalloc double[m + 2];
        Span<double> work = stackalloc double[2 * (m + 2)];
        Characteristic(alpha, beta, gamma, phi, m, poly);
        int length = TestPolynomial(poly, beta, phi, m, test);
        if (SchurCohn.AllZerosInside(test[..length], RootLimit - RootBand, work)) return true;
        if (!SchurCohn.AllZerosInside(test[..length], RootLimit + RootBand, work)) return false;
        return ByRoots(poly);
    }

    private static bool ByRoots(ReadOnlySpan<double> poly)
    {
        double? max = PolynomialRoots.MaxModulus(poly);
        return !(max is null || max > 1 + 1e-10);
    }

    /// <summary>The parameters of one root condition (β = 0 without a trend).</summary>
    public readonly record struct RootQuery(double Alpha, double Beta, double Gamma, double Phi);

    /// <summary>
    /// <see cref="RootCondition"/> of several parameter sets of one period <paramref name="m"/> into
    /// <paramref name="admissible"/>: the Schur-Cohn tests of four polynomials of one degree at a time, one per vector
    /// lane (<see cref="SchurCohn.AllZerosInside4"/>: each lane the single test's operations, so the same decisions).
    /// </summary>
    public static void RootConditions(ReadOnlySpan<RootQuery> queries, int m, Span<bool> admissible)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            for (int i = 0; i < queries.Length; i++)
            {
                var q = queries[i];
                admissible[i] = RootCondition(q.Alpha, q.Beta, q.Gamma, q.Phi, m);
            }
            return;
        }
        Span<double> poly = stackalloc double[m + 2];
        Span<double> test = stackalloc double[m + 2];
        Span<double> lanes = stackalloc double[4 * (m + 2)];
        Span<double> work = stackalloc double[8 * (m + 2)];
        Span<int> members = stackalloc int[4];
        // Two degrees occur (with and without the factor z − 1); each pass takes up to four queries of the first
        // degree still open.
        Span<bool> done = stackalloc bool[queries.Length];
        done.Clear();
        for (int first = 0; first < queries.Length; first++)
        {
            if (done[first]) continue;
            int length = 0, count = 0;
            for (int i = first; i < queries.Length && count < 4; i++)
            {
                if (done[i]) continue;
                var q = queries[i];
                Characteristic(q.Alpha, q.Beta, q.Gamma, q.Phi, m, poly);
                int n = TestPolynomial(poly, q.Beta, q.Phi, m, test);
                if (count == 0) length = n;
                else if (n != length) continue;
                for (int k = 0; k < n; k++) lanes[4 * k + count] = test[k];
                members[count++] = i;
                done[i] = true;
            }
            // Unused lanes repeat the first polynomial.
            for (int j = count; j < 4; j++)
                for (int k = 0; k < length; k++) lanes[4 * k + j] = lanes[4 * k];
            int inside = SchurCohn.AllZerosInside4(lanes[..(4 * length)], RootLimit - RootBand, work);
            int outside = ~inside & ((1 << count) - 1);
            int insideWide = outside == 0 ? 0 : SchurCohn.AllZerosInside4(lanes[..(4 * length)], RootLimit + RootBand, work);
            for (int j = 0; j < count; j++)
            {
                var q = queries[members[j]];
                if ((inside & (1 << j)) != 0) admissible[members[j]] = true;
                else if ((insideWide & (1 << j)) == 0) admissible[members[j]] = false;
                else
                {
                    Characteristic(q.Alpha, q.Beta, q.Gamma, q.Phi, m, poly);
                    admissible[members[j]] = ByRoots(poly);
                }
            }
        }
    }
}
