using Forecast.Statistical.Ets;
using Forecast.Statistical.Numerics;

namespace Forecast.Statistical.Tests.Numerics;

/// <summary>
/// The fast admissibility test (Schur-Cohn with R's root finder near the unit circle) decides exactly as R's
/// <c>max(Mod(polyroot(P))) &lt;= 1 + 1e-10</c> over random seasonal ETS parameters.
/// </summary>
public class AdmissibilityTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(12)]
    [InlineData(24)]
    public void DecidesAsTheRootModuli(int m)
    {
        var rng = new Random(m);
        for (int i = 0; i < 24000; i++)
        {
            double alpha = rng.NextDouble();
            double beta = rng.Next(3) == 0 ? 0 : rng.NextDouble() * alpha;
            double gamma = rng.NextDouble() * (1 - alpha);
            double phi = rng.Next(2) == 0 ? 1 : 0.8 + 0.18 * rng.NextDouble();
            if (i % 2 == 1)
            {
                // Where fits of long seasonal series go: alpha near 1, beta and gamma near their lower bound, so all
                // the roots lie within 1e-5 of the unit circle (and the decision within the Schur-Cohn test's band).
                alpha = 1 - Math.Pow(10, -2 - 4 * rng.NextDouble());
                beta = rng.Next(3) == 0 ? 0 : Math.Pow(10, -4 - 2 * rng.NextDouble()) * (rng.Next(2) == 0 ? 1 : 100);
                gamma = Math.Pow(10, -3 - 3 * rng.NextDouble()) * (1 - alpha) * 1e3;
                gamma = Math.Min(gamma, 1 - alpha);
            }
            var poly = new double[m + 2];
            poly[0] = phi * (1 - alpha - gamma);
            poly[1] = alpha + beta - alpha * phi + gamma - 1;
            for (int k = 2; k < m; k++) poly[k] = alpha + beta - alpha * phi;
            poly[m] = alpha + beta - phi;
            poly[m + 1] = 1;
            bool byRoots = PolynomialRoots.MaxModulus(poly) is { } max && max <= 1 + 1e-10;
            // Only the root condition decides here: pick gamma/alpha inside the easy bounds or skip.
            double d = 1 - 1 / phi - alpha;
            if (gamma < Math.Max(d, 0) || gamma > 1 + 1 / phi - alpha) continue;
            if (alpha < 1 - 1 / phi - gamma * (1 - m + phi + phi * m) / (2 * phi * m)) continue;
            if (beta < -(1 - phi) * (gamma / m + alpha)) continue;

            EtsParameterSpace.Admissible(alpha, beta, gamma, phi, hasBeta: true, hasGamma: true, m)
                .Should().Be(byRoots, "alpha {0} beta {1} gamma {2} phi {3}", alpha, beta, gamma, phi);
        }
    }

    /// <summary>
    /// The root conditions decided four at a time in vector lanes (as AutoEts decides its forms' points together) are
    /// the ones decided one by one, over both polynomial degrees (with and without the factor z − 1) mixed.
    /// </summary>
    [Theory]
    [InlineData(4)]
    [InlineData(12)]
    [InlineData(24)]
    public void RootConditionsTogetherAreTheSingleOnes(int m)
    {
        var rng = new Random(100 + m);
        var queries = new List<EtsParameterSpace.RootQuery>();
        for (int i = 0; i < 6000; i++)
        {
            // Half anywhere around the region (both verdicts), half near its edge where fits of long series go.
            bool edge = i % 2 == 1;
            double alpha = edge ? 1 - Math.Pow(10, -2 - 4 * rng.NextDouble()) : 1.9 * rng.NextDouble();
            double beta = rng.Next(3) == 0 ? 0 : edge ? Math.Pow(10, -4 - 2 * rng.NextDouble()) : rng.NextDouble() - 0.2;
            double gamma = edge ? Math.Min(Math.Pow(10, -6 * rng.NextDouble()) * (1 - alpha), 1 - alpha) : 1.5 * rng.NextDouble();
            double phi = rng.Next(2) == 0 ? 1 : 0.8 + 0.18 * rng.NextDouble();
            queries.Add(new(alpha, beta, gamma, phi));
        }
        int admissibleCount = 0;
        for (int start = 0; start < queries.Count; start += 15)
        {
            var batch = queries.Skip(start).Take(15).ToArray();
            var together = new bool[batch.Length];
            EtsParameterSpace.RootConditions(batch, m, together);
            for (int k = 0; k < batch.Length; k++)
            {
                var q = batch[k];
                together[k].Should().Be(EtsParameterSpace.RootCondition(q.Alpha, q.Beta, q.Gamma, q.Phi, m),
                    "alpha {0} beta {1} gamma {2} phi {3}", q.Alpha, q.Beta, q.Gamma, q.Phi);
                if (together[k]) admissibleCount++;
            }
        }
        admissibleCount.Should().BeInRange(1, queries.Count - 1, "both verdicts occur");
    }
}
