using Forecast.Statistical.Optimization;

namespace Forecast.Statistical.Tests.Optimization;

/// <summary>
/// ScaledObjective.Hessian evaluates each distinct point of optimhess's 2·n gradients once: the Hessian is, to the bit,
/// the one of optimhess's loop (R's stats/src/optim.c), written out here step by step, with and without parscale,
/// through the single, batch and parallel objectives; and a non-finite difference fails with optimhess's error.
/// </summary>
public class HessianTests
{
    private static double Curved(ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += Math.Exp(0.3 * x[i]) * (1 + i) + Math.Sin(x[i] * (i + 1)) * x[(i + 1) % x.Length];
        return s + 0.1 * x[0] * x[^1] * x[x.Length / 2];
    }

    /// <summary>optimhess as R's C code computes it: fmingr at dpar ± eps·e_i, one gradient after another.</summary>
    private static double[,] Optimhess(Objective f, double[] par, double[] parscale, double ndeps = 1e-3)
    {
        int n = par.Length;
        var dpar = new double[n];
        for (int i = 0; i < n; i++) dpar[i] = par[i] / parscale[i];
        double[] Gradient(double[] p)
        {
            var df = new double[n];
            var x = new double[n];
            for (int i = 0; i < n; i++) x[i] = p[i] * parscale[i];
            for (int i = 0; i < n; i++)
            {
                x[i] = (p[i] + ndeps) * parscale[i];
                double val1 = f(x);
                x[i] = (p[i] - ndeps) * parscale[i];
                double val2 = f(x);
                df[i] = (val1 - val2) / (2 * ndeps);
                x[i] = p[i] * parscale[i];
            }
            return df;
        }
        var h = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            double eps = ndeps / parscale[i];
            dpar[i] = dpar[i] + eps;
            var df1 = Gradient(dpar);
            dpar[i] = dpar[i] - 2 * eps;
            var df2 = Gradient(dpar);
            for (int j = 0; j < n; j++) h[i, j] = (df1[j] - df2[j]) / (2 * eps * parscale[i] * parscale[j]);
            dpar[i] = dpar[i] + eps;
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < i; j++)
            {
                double tmp = 0.5 * (h[i, j] + h[j, i]);
                h[i, j] = h[j, i] = tmp;
            }
        return h;
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(3, false)]
    [InlineData(5, false)]
    [InlineData(5, true)]
    public void DistinctPointsGiveOptimhessToTheBit(int n, bool scaled)
    {
        var random = new Random(3 + n);
        for (int trial = 0; trial < 5; trial++)
        {
            var par = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            // parscale 1 (ARMA coefficients) except, when scaled, the last (a regression coefficient's 10·SE).
            var parscale = Enumerable.Range(0, n).Select(i => scaled && i == n - 1 ? 0.37 + trial : 1.0).ToArray();
            var expected = Optimhess(Curved, par, parscale);
            int evaluations = 0;
            Objective counted = x => { evaluations++; return Curved(x); };
            var single = new ScaledObjective(counted, parscale).Hessian(par);
            single.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
            AsBits(single).Should().Equal(AsBits(expected));
            if (n > 1) evaluations.Should().BeLessThan(4 * n * n, "points shared by two gradients are evaluated once");
            var batch = new ScaledObjective(Curved, parscale, batch: (points, values) =>
            {
                for (int k = 0; k < points.Length; k++) values[k] = Curved(points[k]);
            }).Hessian(par);
            AsBits(batch).Should().Equal(AsBits(expected));
            var parallel = new ScaledObjective(Curved, parscale, fork: () => Curved, parallelism: 2).Hessian(par);
            AsBits(parallel).Should().Equal(AsBits(expected));
        }
    }

    [Fact]
    public void ANonFiniteDifferenceFailsAsOptimhess()
    {
        Objective f = x => x[1] > 0.5 ? double.PositiveInfinity : x[0] * x[0] + x[1];
        var act = () => new ScaledObjective(f, [1.0, 1.0]).Hessian([0.2, 0.5]);
        act.Should().Throw<OptimizationException>().WithMessage("non-finite finite-difference value [2]");
    }

    private static long[] AsBits(double[,] h) => [.. h.Cast<double>().Select(BitConverter.DoubleToInt64Bits)];
}
