using Xunit.Abstractions;

namespace Forecast.Prophet.Tests.Golden;

/// <summary>Priority 3: from prophet's init our optimiser reaches at least rstan's optimum on every golden case.</summary>
public sealed class OptimizerGoldenTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(GoldenCase.All), MemberType = typeof(GoldenCase))]
    public void Fit_reaches_rstan_log_posterior(string name)
    {
        var golden = GoldenCase.Load(name);
        var model = golden.CreateModel();

        model.Fit(golden.Input);

        var ours = -model.Optimization!.Value;
        var rstan = golden.LogPosteriorValue;
        output.WriteLine($"{name}: ours {ours:R} rstan {rstan:R} diff {ours - rstan:E3} algorithm {model.Optimization.Algorithm} code {model.Optimization.ReturnCode} iterations {model.Optimization.Iterations}");
        ours.Should().BeGreaterThanOrEqualTo(rstan - (1e-6 * Math.Abs(rstan)));
    }

    /// <summary>
    /// The default fit is at the MAP's first-order (KKT) conditions on every case — among them the conditional-seasonality
    /// example (peyton_conditional_seasonality), where the earlier feature-sign search stopped 0.745 short of the optimum
    /// with a free-set violation of 1.6–4.3 — while rstan's fit is not (it stalls at the |delta| kinks).
    /// </summary>
    [Theory]
    [MemberData(nameof(GoldenCase.All), MemberType = typeof(GoldenCase))]
    public void Default_fit_is_at_the_KKT_point_and_rstans_is_not(string name)
    {
        var golden = GoldenCase.Load(name);
        var model = golden.CreateModel().Fit(golden.Input);
        var rstan = RCompatibleGoldenTests.Fit(name).Optimization!;

        var fit = model.Optimization!;
        output.WriteLine($"{name}: KKT residual {fit.KktResidual:E2} (tolerance {fit.KktTolerance:E2}); rstan's {rstan.KktResidual:E2}");
        fit.AtKktPoint.Should().BeTrue();
        fit.LogPosterior.Should().BeGreaterThanOrEqualTo(golden.LogPosteriorValue - (1e-6 * Math.Abs(golden.LogPosteriorValue)));
        rstan.AtKktPoint.Should().BeFalse("rstan's L-BFGS and Newton stop short of the mode at the changepoint kinks");
    }

    /// <summary>prophet's own path — Newton if T &lt; 100 else L-BFGS, Newton fallback — finished exactly, also reaches rstan.</summary>
    [Theory]
    [MemberData(nameof(GoldenCase.All), MemberType = typeof(GoldenCase))]
    public void Stan_path_finished_exactly_reaches_rstan_log_posterior(string name)
    {
        var golden = GoldenCase.Load(name);
        var model = golden.CreateModel();
        var algorithm = golden.Input.Y!.Count(v => !double.IsNaN(v)) < 100 ? OptimizerAlgorithm.Newton : OptimizerAlgorithm.Lbfgs;

        model.Fit(golden.Input, new ProphetFitOptions { Algorithm = algorithm });

        var ours = -model.Optimization!.Value;
        output.WriteLine($"{name}: {model.Optimization.Algorithm} ours {ours:R} rstan {golden.LogPosteriorValue:R}");
        model.Optimization.Algorithm.Should().StartWith(algorithm == OptimizerAlgorithm.Newton ? "Newton" : "LBFGS");
        ours.Should().BeGreaterThanOrEqualTo(golden.LogPosteriorValue - (1e-6 * Math.Abs(golden.LogPosteriorValue)));
    }

    [Theory]
    [InlineData(96, "Newton")]
    [InlineData(144, "LBFGS")]
    public void Stan_path_uses_prophets_T_below_100_rule(int rows, string algorithm)
    {
        // The R-compatible mode runs Stan's optimisers only, chosen as prophet does (spec §10).
        var golden = GoldenCase.Load("air_passengers_multiplicative");
        var model = golden.CreateModel();

        model.Fit(golden.Input.Select(Enumerable.Range(0, rows).ToArray()), GoldenCase.RCompatibleOptions);

        model.Optimization!.Algorithm.Should().StartWith(algorithm);
    }

    [Fact]
    public void Linear_additive_models_get_the_exact_solver_unless_an_algorithm_is_forced()
    {
        var golden = GoldenCase.Load("retail_default");

        golden.CreateModel().Fit(golden.Input).Optimization!.Algorithm.Should().Be("ExactL1Newton");
        var forced = golden.CreateModel().Fit(golden.Input, new ProphetFitOptions { Algorithm = OptimizerAlgorithm.Lbfgs });
        forced.Optimization!.Algorithm.Should().StartWith("LBFGS");
        (-forced.Optimization.Value).Should().BeGreaterThanOrEqualTo(golden.LogPosteriorValue - (1e-6 * Math.Abs(golden.LogPosteriorValue)));
    }

    [Fact]
    public void Lbfgs_failure_falls_back_to_newton_as_in_R()
    {
        // retail_no_changepoints: rstan's L-BFGS returned a non-zero code and prophet fell back to Newton; ours too.
        var golden = GoldenCase.Load("retail_no_changepoints");
        var model = golden.CreateModel();

        model.Fit(golden.Input, GoldenCase.RCompatibleOptions);

        model.Optimization!.Algorithm.Should().Be("LBFGS->Newton");
        (-model.Optimization.Value).Should().BeGreaterThanOrEqualTo(golden.LogPosteriorValue - (1e-6 * Math.Abs(golden.LogPosteriorValue)));
    }

    /// <summary>Where rstan reached the mode (log posterior within 1e-4 of ours), the parameters agree too.</summary>
    [Theory]
    [InlineData("retail_flat")]
    [InlineData("retail_no_changepoints")]
    [InlineData("air_passengers_small_newton")]
    public void Parameters_match_R_where_the_optimum_is_well_conditioned(string name)
    {
        var golden = GoldenCase.Load(name);
        var model = golden.CreateModel();
        model.Fit(golden.Input);
        var ours = model.Params!;
        var r = golden.ReadParams();

        var worstBeta = ours.Beta.Zip(r.Beta).Max(p => Math.Abs(p.First - p.Second));
        output.WriteLine($"{name}: k {ours.K} vs {r.K}, m {ours.M} vs {r.M}, sigma {ours.SigmaObs} vs {r.SigmaObs}, max |beta diff| {worstBeta:E2}");
        ours.M.Should().BeApproximately(r.M, 2e-3);
        ours.SigmaObs.Should().BeApproximately(r.SigmaObs, 2e-3 * r.SigmaObs);
        worstBeta.Should().BeLessThan(2e-3);
        (ours.K + ours.Delta.Sum()).Should().BeApproximately(r.K + r.Delta.Sum(), 2e-2, "the final growth rate");
    }

    [Fact]
    public void Fit_is_deterministic()
    {
        var golden = GoldenCase.Load("retail_default");
        var first = golden.CreateModel().Fit(golden.Input).Params!;
        var second = golden.CreateModel().Fit(golden.Input).Params!;

        second.K.Should().Be(first.K);
        second.Delta.Should().Equal(first.Delta);
        second.Beta.Should().Equal(first.Beta);
    }
}
