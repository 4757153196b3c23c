namespace Forecast.Prophet.Tests.Golden;

/// <summary>Priority 1 of the brief: the Stan data we build equals R prophet's stan_data.json for every case.</summary>
public sealed class StanDataGoldenTests
{
    [Theory]
    [MemberData(nameof(GoldenCase.All), MemberType = typeof(GoldenCase))]
    public void Stan_data_equals_R_prophet(string name)
    {
        var golden = GoldenCase.Load(name);
        var expected = golden.ReadStanData();
        var model = golden.CreateModel();

        var actual = model.Preprocess(golden.Input);

        actual.T.Should().Be(expected.T);
        actual.K.Should().Be(expected.K);
        actual.S.Should().Be(expected.S);
        actual.TrendIndicator.Should().Be(expected.TrendIndicator);
        actual.Tau.Should().Be(expected.Tau);
        model.FeatureNames.Should().Equal(golden.Params.GetProperty("feature_names").EnumerateArray().Select(e => e.GetString()));
        ShouldMatch(actual.Y, expected.Y, "y");
        ShouldMatch(actual.TimeScaled, expected.TimeScaled, "t");
        ShouldMatch(actual.Cap, expected.Cap, "cap");
        ShouldMatch(actual.TChange, expected.TChange, "t_change");
        ShouldMatch(actual.X, expected.X, "X");
        ShouldMatch(actual.Sigmas, expected.Sigmas, "sigmas");
        ShouldMatch(actual.SA, expected.SA, "s_a");
        ShouldMatch(actual.SM, expected.SM, "s_m");
        model.YScale.Should().BeApproximately(golden.YScale, 1e-12 * golden.YScale);
    }

    [Theory]
    [MemberData(nameof(GoldenCase.All), MemberType = typeof(GoldenCase))]
    public void Init_equals_R_prophet(string name)
    {
        var golden = GoldenCase.Load(name);
        var model = golden.CreateModel();
        var data = model.Preprocess(golden.Input);
        var expected = golden.ReadInit();

        var init = model.InitialParameters(model.PreparedHistory!, data);

        init.K.Should().BeApproximately(expected.K, 1e-12 * Math.Max(1, Math.Abs(expected.K)));
        init.M.Should().BeApproximately(expected.M, 1e-12 * Math.Max(1, Math.Abs(expected.M)));
        init.SigmaObs.Should().Be(expected.SigmaObs);
    }

    /// <summary>
    /// A fitted model does not keep X (the fit builds it in per-thread scratch memory): its StanData is built again on
    /// the first read, with the fit's own Fourier arithmetic, and equals the data that fit used, value for value.
    /// </summary>
    [Theory]
    [MemberData(nameof(GoldenCase.All), MemberType = typeof(GoldenCase))]
    public void A_fitted_models_stan_data_is_the_data_its_fit_used(string name)
    {
        var golden = GoldenCase.Load(name);
        var fitted = golden.CreateModel().Fit(golden.Input);
        var used = golden.CreateModel().Preprocess(golden.Input, fourierByRecurrence: true);

        ShouldEqual(fitted.StanData!, used);
    }

    [Theory]
    [InlineData("retail_flat")]
    [InlineData("short_yearly_nile")]
    public void An_R_compatible_fitted_models_stan_data_is_the_data_its_fit_used(string name)
    {
        var golden = GoldenCase.Load(name);
        var fitted = golden.CreateModel().Fit(golden.Input, new ProphetFitOptions { Mode = ProphetFitMode.RCompatible });
        var used = golden.CreateModel().Preprocess(golden.Input);

        ShouldEqual(fitted.StanData!, used);
        ShouldEqual(fitted.StanData!, used); // built once, then kept
    }

    private static void ShouldEqual(ProphetStanData actual, ProphetStanData expected)
    {
        (actual.T, actual.K, actual.S, actual.Tau, actual.TrendIndicator).Should().Be((expected.T, expected.K, expected.S, expected.Tau, expected.TrendIndicator));
        actual.X.Should().Equal(expected.X);
        actual.Cap.Should().Equal(expected.Cap);
        actual.Y.Should().Equal(expected.Y);
        actual.TimeScaled.Should().Equal(expected.TimeScaled);
        actual.TChange.Should().Equal(expected.TChange);
        actual.Sigmas.Should().Equal(expected.Sigmas);
        actual.SA.Should().Equal(expected.SA);
        actual.SM.Should().Equal(expected.SM);
    }

    /// <summary>stan_data.json was written by jsonlite with 15 significant digits, so equality is to ~1e-14 relative.</summary>
    private static void ShouldMatch(double[] actual, double[] expected, string field)
    {
        actual.Length.Should().Be(expected.Length, $"{field} has the same length");
        for (var i = 0; i < actual.Length; i++)
        {
            var tolerance = 1e-12 * Math.Max(1.0, Math.Abs(expected[i]));
            if (Math.Abs(actual[i] - expected[i]) > tolerance)
            {
                Assert.Fail($"{field}[{i}] = {actual[i]:R} but R has {expected[i]:R} (|diff| {Math.Abs(actual[i] - expected[i]):E2} > {tolerance:E2}).");
            }
        }
    }
}
