using System.Globalization;
using Forecast.Prophet.Tests.Golden;
using Xunit.Abstractions;

namespace Forecast.Prophet.Tests.Model;

/// <summary>
/// Degenerate histories get a finite, sensible fit or a named error, never the sigma_obs-at-1e-150 / log posterior
/// -1e281 of a fit that followed an unbounded posterior into rounding: more parameters than rows, constant series,
/// all-equal y with a changepoint, a step, noise-free data, and huge or tiny scales.
/// </summary>
public sealed class DegenerateDataTests(ITestOutputHelper output)
{
    /// <summary>
    /// 16 quarters of austres (19 years of LakeHuron) with prophet's defaults (11 changepoints and 20 yearly terms): the
    /// model reproduces the rows exactly and the profile over sigma_obs rises all the way to zero, with no local mode
    /// (rstan runs to sigma_obs ≈ 1e-10). The exact fit says so with a named error.
    /// </summary>
    [Theory]
    [InlineData("austres")]
    [InlineData("LakeHuron")]
    public void More_parameters_than_rows_and_no_local_mode_is_a_named_error(string id)
    {
        var history = ShortSeries(id);

        var act = () => new Prophet().Fit(history);

        var error = act.Should().Throw<NoPosteriorModeException>().Which;
        output.WriteLine(error.Message);
        error.Rows.Should().Be(history.RowCount);
        error.Parameters.Should().BeGreaterThan(error.Rows);
    }

    /// <summary>rstan has no such check: its fit of austres runs sigma_obs down to about 1e-10, and so does ours in the R-compatible mode.</summary>
    [Fact]
    public void The_R_compatible_fit_follows_rstan_towards_zero_noise()
    {
        var rstan = new Prophet().Fit(ShortSeries("austres"), GoldenCase.RCompatibleOptions);

        double.IsFinite(rstan.Optimization!.LogPosterior).Should().BeTrue();
        rstan.Params!.SigmaObs.Should().BeLessThan(1e-6);
    }

    /// <summary>
    /// 16 quarters of UKgas: also more parameters than rows, but the profile has a local mode above the floor, where
    /// rstan stops too; the exact fit returns the best such mode, at its KKT point, at least as high as rstan's.
    /// </summary>
    [Fact]
    public void More_parameters_than_rows_with_a_local_mode_returns_that_mode()
    {
        var history = ShortSeries("UKgas");

        var fit = new Prophet().Fit(history).Optimization!;
        var rstan = new Prophet().Fit(history, GoldenCase.RCompatibleOptions).Optimization!;

        output.WriteLine($"sigma_obs {Math.Exp(fit.X[13]):E3}, log posterior {fit.LogPosterior:R} (rstan {rstan.LogPosterior:R}), KKT {fit.KktResidual:E2}/{fit.KktTolerance:E2}");
        fit.UnboundedPosterior.Should().BeTrue();
        fit.AtSigmaFloor.Should().BeFalse();
        fit.AtKktPoint.Should().BeTrue();
        fit.LogPosterior.Should().BeGreaterThanOrEqualTo(rstan.LogPosterior - (1e-6 * Math.Abs(rstan.LogPosterior)));
    }

    [Fact]
    public void Constant_series_fits_its_constant()
    {
        var history = Daily(60, _ => 5.0);

        var model = new Prophet(new ProphetOptions { UncertaintySamples = 0 }).Fit(history);

        model.Params!.SigmaObs.Should().BeGreaterThan(0).And.BeLessThan(1e-6);
        model.Predict(model.MakeFutureDataFrame(10)).Yhat.Should().OnlyContain(v => Math.Abs(v - 5.0) < 1e-9);
    }

    /// <summary>All-equal y with an explicit changepoint, and with logistic growth (which the optimiser does run).</summary>
    [Fact]
    public void All_equal_y_with_a_changepoint_or_logistic_growth_gives_a_finite_fit()
    {
        var history = Daily(60, _ => 5.0);
        var withChangepoint = new Prophet(new ProphetOptions { UncertaintySamples = 0, Changepoints = [history.Ds[30]] }).Fit(history);
        var logistic = new Prophet(new ProphetOptions { UncertaintySamples = 0, Growth = Growth.Logistic }).Fit(history.Clone().Add("cap", 10.0));

        withChangepoint.Predict(withChangepoint.MakeFutureDataFrame(10)).Yhat.Should().OnlyContain(v => Math.Abs(v - 5.0) < 1e-9);
        var fit = logistic.Optimization!;
        output.WriteLine($"logistic: sigma_obs {logistic.Params!.SigmaObs:E3}, log posterior {fit.LogPosterior:R}, at floor {fit.AtSigmaFloor}");
        double.IsFinite(fit.LogPosterior).Should().BeTrue();
        logistic.Params.SigmaObs.Should().BeGreaterThan(1e-8, "sigma_obs stays at or above its floor, 1e-5 of y's scale");
        fit.AtKktPoint.Should().BeTrue();
        var future = logistic.MakeFutureDataFrame(10).Add("cap", 10.0);
        logistic.Predict(future).Yhat.Should().OnlyContain(v => Math.Abs(v - 5.0) < 1e-3);
    }

    /// <summary>A level shift: all-equal y before and after one change.</summary>
    [Fact]
    public void Step_series_gets_a_finite_fit_with_noise_above_the_floor()
    {
        var history = Daily(120, i => i < 60 ? 5.0 : 8.0);

        var model = new Prophet(new ProphetOptions { UncertaintySamples = 0 }).Fit(history);

        var fit = model.Optimization!;
        fit.AtSigmaFloor.Should().BeFalse();
        fit.AtKktPoint.Should().BeTrue();
        double.IsFinite(fit.LogPosterior).Should().BeTrue();
    }

    /// <summary>
    /// y on an exact line with more rows than parameters: the data have no noise, the log posterior grows without bound
    /// as sigma_obs → 0, and the fit is the line with sigma_obs at its floor (first-order conditions of the bounded
    /// problem), a finite log posterior.
    /// </summary>
    [Fact]
    public void Noise_free_line_sits_at_the_sigma_floor_with_a_finite_log_posterior()
    {
        var history = Daily(100, i => 2.0 + (0.1 * i));

        var model = new Prophet(new ProphetOptions { UncertaintySamples = 0, WeeklySeasonality = false }).Fit(history);

        var fit = model.Optimization!;
        output.WriteLine($"sigma_obs {model.Params!.SigmaObs:E3}, log posterior {fit.LogPosterior:R}");
        fit.AtSigmaFloor.Should().BeTrue();
        fit.UnboundedPosterior.Should().BeTrue();
        double.IsFinite(fit.LogPosterior).Should().BeTrue();
        fit.AtKktPoint.Should().BeTrue();
        var forecast = model.Predict(model.MakeFutureDataFrame(10));
        forecast.Yhat[^1].Should().BeApproximately(2.0 + (0.1 * 109), 1e-4);
    }

    /// <summary>prophet scales y by its largest |y|, so 1e12 and 1e-9 times a series fit exactly as the series does.</summary>
    [Theory]
    [InlineData(1e12)]
    [InlineData(1e-9)]
    public void Huge_and_tiny_scales_fit_as_the_unscaled_series(double scale)
    {
        var golden = GoldenCase.Load("retail_default");
        var scaled = new ProphetFrame(golden.Input.Ds, golden.Input.Y!.Select(v => v * scale).ToArray());

        var reference = golden.CreateModel().Fit(golden.Input);
        var model = golden.CreateModel().Fit(scaled);

        model.Optimization!.AtKktPoint.Should().BeTrue();
        model.Params!.SigmaObs.Should().BeApproximately(reference.Params!.SigmaObs, 1e-9 * reference.Params.SigmaObs);
        model.Params.K.Should().BeApproximately(reference.Params.K, 1e-9 * Math.Abs(reference.Params.K));
        model.Optimization.LogPosterior.Should().BeApproximately(reference.Optimization!.LogPosterior, 1e-9 * Math.Abs(reference.Optimization.LogPosterior));
        var future = reference.MakeFutureDataFrame(12, FutureFrequency.Month);
        model.Predict(future).Yhat[^1].Should().BeApproximately(scale * reference.Predict(future).Yhat[^1], 1e-8 * scale * Math.Abs(reference.Predict(future).Yhat[^1]));
    }

    private static ProphetFrame Daily(int days, Func<int, double> y) =>
        new(Enumerable.Range(0, days).Select(i => new DateTime(2020, 1, 1).AddDays(i)).ToArray(), Enumerable.Range(0, days).Select(y).ToArray());

    /// <summary>A series of Fixtures/degenerate/short_series.csv (the first rows of R datasets series, see NOTICE).</summary>
    private static ProphetFrame ShortSeries(string id)
    {
        var rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "degenerate", "short_series.csv")).Skip(1)
            .Select(l => l.Split(',')).Where(f => f[0] == id).ToList();
        return new ProphetFrame(rows.Select(f => ProphetFrame.ParseDate(f[1])!.Value).ToArray(),
            rows.Select(f => double.Parse(f[2], CultureInfo.InvariantCulture)).ToArray());
    }
}
