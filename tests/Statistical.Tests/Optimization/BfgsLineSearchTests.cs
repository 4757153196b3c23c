using Forecast.Statistical.Optimization;

namespace Forecast.Statistical.Tests.Optimization;

/// <summary>
/// BFGS with a batch objective (a rejected step's next trial points evaluated together) takes vmmin's path: the same
/// optimum, value and evaluation count, to the bit, as the step-by-step line search.
/// </summary>
public class BfgsLineSearchTests
{
    // Rosenbrock's valley and a narrow quartic bowl: line searches that shrink their steps many times.
    private static double Rosenbrock(ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i + 1 < x.Length; i++) s += 100 * Math.Pow(x[i + 1] - x[i] * x[i], 2) + Math.Pow(1 - x[i], 2);
        return s;
    }

    private static double Bowl(ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += Math.Pow(x[i] - 0.3 * i, 4) * (1 + 1000 * i) + 1e-3 * Math.Exp(x[i]);
        return s;
    }

    [Theory]
    [InlineData("rosenbrock", 2)]
    [InlineData("rosenbrock", 4)]
    [InlineData("bowl", 3)]
    public void BatchedTrialStepsTakeVmminsPath(string name, int n)
    {
        Objective f = name == "rosenbrock" ? Rosenbrock : Bowl;
        var random = new Random(11);
        int batched = 0;
        for (int start = 0; start < 6; start++)
        {
            var b0 = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 4 - 2).ToArray();
            var scale = Enumerable.Range(0, n).Select(i => 1.0 + i).ToArray();
            var plain = Bfgs.Minimize(new ScaledObjective(f, scale), (double[])b0.Clone());
            var withBatch = Bfgs.Minimize(new ScaledObjective(f, scale, batch: (points, values) =>
            {
                if (points.Length > 2 * n || points.Length < 2 * n) batched++; // line-search batches (gradients have 2n points)
                for (int k = 0; k < points.Length; k++) values[k] = f(points[k]);
            }), (double[])b0.Clone());
            withBatch.Value.Should().Be(plain.Value);
            withBatch.Evaluations.Should().Be(plain.Evaluations);
            withBatch.Convergence.Should().Be(plain.Convergence);
            withBatch.X.Should().Equal(plain.X);
        }
        batched.Should().BePositive("some line search must have been batched");
    }
}
