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

    /// <summary>check_params: <paramref name="hasBeta"/>/<paramref name="hasGamma"/>/<paramref name="hasPhi"/> say which parameters are estimated.</summary>
    public static bool Check(EtsBounds bounds, double[] lower, double[] upper, double alpha, double beta, double gamma, double phi,
        bool hasBeta, bool hasGamma, bool hasPhi, int m)
    {
        if (bounds != EtsBounds.Admissible)
        {
            if (alpha < lower[0] || alpha > upper[0]) return false;
            if (hasBeta && (beta < lower[1] || beta > alpha || beta > upper[1])) return false;
            if (hasPhi && (phi < lower[3] || phi > upper[3])) return false;
            if (hasGamma && (gamma < lower[2] || gamma > 1 - alpha || gamma > upper[2])) return false;
        }
        if (bounds != EtsBounds.Usual && !Admissible(alpha, hasBeta ? beta : 0, gamma, phi, hasBeta, hasGamma, m)) return false;
        return true;
    }

    /// <summary>admissible: the region of Hyndman, Akram &amp; Archibald (2008), Annals of the ISM 60(2).</summary>
    public static bool Admissible(double alpha, double beta, double gamma, double phi, bool hasBeta, bool hasGamma, int m)
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

            // The characteristic equation, coefficients in increasing powers:
            // phi(1-a-g) + (a+b-a·phi+g-1) z + (a+b-a·phi)(z^2..z^(m-1)) + (a+b-phi) z^m + z^(m+1).
            Span<double> poly = stackalloc double[m + 2];
            poly[0] = phi * (1 - alpha - gamma);
            poly[1] = alpha + beta - alpha * phi + gamma - 1;
            for (int i = 2; i < m; i++) poly[i] = alpha + beta - alpha * phi;
            poly[m] = alpha + beta - phi;
            poly[m + 1] = 1;
            // R: max(Mod(polyroot(P))) > 1 + 1e-10 is inadmissible. The Schur-Cohn test settles that without finding
            // the roots unless one lies within 1e-8 of that radius; only then are they found as R finds them. (Fits
            // with alpha near 1 and gamma near its lower bound put all m roots within 1e-5 of the unit circle, at
            // 1 - 1e-7 or so: a wider band sent most of their evaluations to the root finder.)
            // P(1) = m·beta when phi = 1, so without trend and damping z = 1 is a root; it is divided out first.
            Span<double> work = stackalloc double[2 * (m + 2)];
            ReadOnlySpan<double> test = poly;
            if (phi == 1 && beta == 0)
            {
                Span<double> quotient = stackalloc double[m + 1];
                quotient[m] = poly[m + 1];
                for (int k = m; k >= 1; k--) quotient[k - 1] = poly[k] + quotient[k];
                test = quotient;
            }
            if (SchurCohn.AllZerosInside(test, RootLimit - RootBand, work)) return true;
            if (!SchurCohn.AllZerosInside(test, RootLimit + RootBand, work)) return false;
            double? max = PolynomialRoots.MaxModulus(poly);
            if (max is null || max > 1 + 1e-10) return false;
        }
        return true;
    }
}
