namespace Forecast.Prophet.Tests.Golden;

/// <summary>Priority 2: the objective at R's optimum equals rstan's log posterior; the gradient matches finite differences.</summary>
public sealed class ObjectiveGoldenTests
{
    [Theory]
    [MemberData(nameof(GoldenCase.All), MemberType = typeof(GoldenCase))]
    public void Objective_at_R_parameters_equals_rstan_value(string name)
    {
        var golden = GoldenCase.Load(name);
        var objective = new ProphetObjective(golden.ReadStanData());

        var value = objective.LogPosterior(golden.ReadParams());

        // objective_check.txt: the closed form reproduces rstan to <= 1.5e-8 (params carry 15 digits).
        value.Should().BeApproximately(golden.LogPosteriorValue, 2e-8 * Math.Max(1, Math.Abs(golden.LogPosteriorValue)));
    }

    [Theory]
    [MemberData(nameof(GoldenCase.All), MemberType = typeof(GoldenCase))]
    public void Gradient_matches_central_finite_differences(string name)
    {
        var golden = GoldenCase.Load(name);
        var objective = new ProphetObjective(golden.ReadStanData());
        var x = golden.ReadParams().ToUnconstrained();
        // Move deltas away from 0 so |delta| is differentiable at the probe point.
        var random = new Random(7);
        for (var i = 0; i < x.Length; i++)
        {
            x[i] += 0.01 * (random.NextDouble() - 0.5);
        }

        var gradient = new double[x.Length];
        objective.Evaluate(x, gradient);
        var scratch = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var h = 1e-6 * Math.Max(1, Math.Abs(x[i]));
            var saved = x[i];
            x[i] = saved + h;
            var fPlus = objective.Evaluate(x, scratch);
            x[i] = saved - h;
            var fMinus = objective.Evaluate(x, scratch);
            x[i] = saved;
            var numeric = (fPlus - fMinus) / (2 * h);
            var tolerance = 1e-5 * Math.Max(1.0, Math.Max(Math.Abs(numeric), Math.Abs(gradient[i])));
            Math.Abs(gradient[i] - numeric).Should().BeLessThan(tolerance, $"d f / d x[{i}] analytic {gradient[i]} vs numeric {numeric}");
        }
    }

    [Theory]
    [InlineData("wp_R_logistic")]
    [InlineData("air_passengers_multiplicative")]
    [InlineData("retail_flat")]
    public void Trend_jacobian_matches_central_finite_differences(string name)
    {
        var golden = GoldenCase.Load(name);
        var data = golden.ReadStanData();
        var objective = new ProphetObjective(data);
        var x = golden.ReadParams().ToUnconstrained();
        var p = 2 + data.S;
        var jacobian = new double[data.T * p];
        objective.Evaluate(x, new double[x.Length]);

        objective.TrendJacobian(jacobian, p);

        var plus = new double[data.T];
        var minus = new double[data.T];
        for (var a = 0; a < p; a++)
        {
            var h = 1e-6 * Math.Max(1, Math.Abs(x[a]));
            var probe = (double[])x.Clone();
            probe[a] = x[a] + h;
            objective.TrendOnly(probe, plus);
            probe[a] = x[a] - h;
            objective.TrendOnly(probe, minus);
            for (var i = 0; i < data.T; i += 7)
            {
                var numeric = (plus[i] - minus[i]) / (2 * h);
                Math.Abs(jacobian[(i * p) + a] - numeric).Should().BeLessThan(1e-6 * Math.Max(1, Math.Abs(numeric)), $"d trend[{i}] / d x[{a}]");
            }
        }
    }
}
