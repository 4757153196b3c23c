using Forecast.Statistical.Decomposition;
using Forecast.Statistical.Ets;
using Forecast.Statistical.Numerics;

namespace Forecast.Statistical.Theta;

/// <summary>
/// R forecast's <c>thetaf()</c> (theta.R): test for seasonality, divide out a classical multiplicative decomposition
/// when seasonal, fit simple exponential smoothing (<c>ses()</c>: ETS(A,N,N) minimising the one-step MSE), add half the
/// slope of a linear trend fitted to the (adjusted) data, b/2 · (h − 1 + (1 − (1 − α)^n)/α), then reseasonalise.
/// Interval half-widths are z·σ·√(1 + (h − 1)α²) around the reseasonalised mean, with σ² of the SES fit.
/// </summary>
internal static class StandardTheta
{
    public static ThetaModel Fit(double[] x, int m)
    {
        int n = x.Length;
        bool seasonal = SeasonalityTest.IsSeasonal(x, m);
        double[]? seasonalComponent = null;
        double[] adjusted = x;
        if (seasonal)
        {
            seasonalComponent = ClassicalDecomposition.Seasonal(x, m, multiplicative: true);
            if (seasonalComponent.Any(s => Math.Abs(s) < 1e-4))
            {
                // R warns "Seasonal indexes close to zero. Using non-seasonal Theta method".
                seasonal = false;
                seasonalComponent = null;
            }
            else
            {
                adjusted = new double[n];
                for (int t = 0; t < n; t++) adjusted[t] = x[t] / seasonalComponent[t];
            }
        }

        var ses = new AutoEts { Model = "ANN", OptimizationCriterion = EtsCriterion.Mse }.Fit(adjusted, m);
        var time = new double[n];
        for (int t = 0; t < n; t++) time[t] = t;
        double drift = LeastSquares.Line(time, adjusted).Slope / 2;
        double alpha = Math.Max(1e-10, ses.Parameters.Alpha);
        double level = ses.FinalStates[0];

        double[]? indices = null;
        if (seasonal)
        {
            indices = new double[m];
            for (int i = 0; i < m; i++) indices[i] = seasonalComponent![n - m + i]; // tail(decomp$seasonal, m)
        }
        var fitted = new double[n];
        var residuals = new double[n];
        for (int t = 0; t < n; t++)
        {
            fitted[t] = seasonal ? ses.Fitted[t] * seasonalComponent![t] : ses.Fitted[t];
            residuals[t] = x[t] - fitted[t];
        }
        double sigma2 = ses.Sigma2;

        StatisticalForecast Forecast(int h, double[] levels)
        {
            double tail = (1 - Math.Pow(1 - alpha, n)) / alpha;
            var mean = new double[h];
            for (int j = 0; j < h; j++)
            {
                mean[j] = level + drift * (j + tail);
                if (indices is not null) mean[j] *= indices[j % m];
            }
            var lower = new double[levels.Length][];
            var upper = new double[levels.Length][];
            for (int i = 0; i < levels.Length; i++)
            {
                double zt = -StandardNormal.Quantile(0.5 - levels[i] / 200);
                lower[i] = new double[h];
                upper[i] = new double[h];
                for (int j = 0; j < h; j++)
                {
                    double se = Math.Sqrt(sigma2) * Math.Sqrt(j * alpha * alpha + 1);
                    lower[i][j] = mean[j] - zt * se;
                    upper[i][j] = mean[j] + zt * se;
                }
            }
            return new StatisticalForecast(mean, levels, lower, upper);
        }

        return new ThetaModel("Theta", alpha, drift, null, indices, sigma2, fitted, residuals, seasonal ? m : 1, Forecast);
    }
}
