using Forecast.Statistical.Numerics;
using static Forecast.Statistical.Numerics.Matrix;

namespace Forecast.Statistical.Ets;

/// <summary>
/// Forecast means and variances of a fitted ETS model, analytic as R forecast's <c>forecast.ets</c> computes them
/// (etsforecast.R: <c>class1</c> linear homoscedastic, <c>class2</c> multiplicative error with linear states,
/// <c>class3</c> multiplicative error and season; Hyndman et al. 2008, chapter 6). Multiplicative-trend forms have no
/// closed form there; their point forecast is the state recursion and their variance comes from simulated paths.
/// </summary>
internal static class EtsForecastDistribution
{
    /// <summary>Point forecasts and central intervals at <paramref name="levels"/> (percent, ascending).</summary>
    public static StatisticalForecast Forecast(EtsModel model, int h, double[] levels)
    {
        if (IsAnalytic(model.Form))
        {
            var (mean, variance) = MeanAndVariance(model, h);
            var lower = new double[levels.Length][];
            var upper = new double[levels.Length][];
            for (int i = 0; i < levels.Length; i++)
            {
                double z = Math.Abs(StandardNormal.Quantile((100 - levels[i]) / 200));
                lower[i] = new double[h];
                upper[i] = new double[h];
                for (int j = 0; j < h; j++)
                {
                    double margin = Math.Sqrt(variance[j]) * z;
                    lower[i][j] = mean[j] - margin;
                    upper[i][j] = mean[j] + margin;
                }
            }
            return new StatisticalForecast(mean, levels, lower, upper);
        }
        return EtsSimulation.Forecast(model, h, levels);
    }

    /// <summary>Whether R computes this form's intervals analytically (classes 1–3) rather than by simulation.</summary>
    public static bool IsAnalytic(EtsForm form) =>
        form.Trend != EtsComponent.Multiplicative
        && !(form.Error == EtsComponent.Additive && form.Season == EtsComponent.Multiplicative);

    private static (double[] Mean, double[] Variance) MeanAndVariance(EtsModel model, int h)
    {
        var form = model.Form;
        var state = model.FinalStates;
        var par = model.Parameters;
        int m = model.SeasonLength;
        bool trendLinear = form.Trend != EtsComponent.Multiplicative;
        if (form.Error == EtsComponent.Additive && trendLinear && form.Season != EtsComponent.Multiplicative)
        {
            var (mu, variance, _) = Class1(h, state, form, m, model.Sigma2, par);
            return (mu, variance);
        }
        if (form.Error == EtsComponent.Multiplicative && trendLinear && form.Season != EtsComponent.Multiplicative)
            return Class2(h, state, form, m, model.Sigma2, par);
        if (form.Error == EtsComponent.Multiplicative && form.Season == EtsComponent.Multiplicative && trendLinear)
            return Class3(h, state, form, m, model.Sigma2, par);
        throw new InvalidOperationException($"{form} has no analytic forecast variance.");
    }

    /// <summary>class1: linear models, y = H x + e; Var(h) = σ²(1 + Σ_{j&lt;h} c_j²), c_j = H F^j G.</summary>
    private static (double[] Mu, double[] Var, double[] Cj) Class1(int h, double[] last, EtsForm form, int m, double sigma2, EtsParameters par)
    {
        int p = last.Length;
        bool trend = form.Trend == EtsComponent.Additive;
        bool season = form.Season == EtsComponent.Additive;
        double phi = form.Damped ? par.Phi!.Value : 1;
        var hRow = new double[1, p];
        hRow[0, 0] = 1;
        if (season) hRow[0, p - 1] = 1;
        if (trend) hRow[0, 1] = phi;
        var f = new double[p, p];
        f[0, 0] = 1;
        if (trend) f[0, 1] = f[1, 1] = phi;
        if (season)
        {
            f[p - m, p - 1] = 1;
            for (int i = 0; i < m - 1; i++) f[p - m + 1 + i, p - m + i] = 1;
        }
        var g = new double[p, 1];
        g[0, 0] = par.Alpha;
        if (trend) g[1, 0] = par.Beta!.Value;
        // The seasonal smoothing enters the newest seasonal state (forecast > 8.20: G[p - m + 1]; 8.20's class1 wrote
        // G[3], the wrong state when there is no trend).
        if (season) g[p - m, 0] = par.Gamma!.Value;

        var x = new double[p, 1];
        for (int i = 0; i < p; i++) x[i, 0] = last[i];
        var mu = new double[h];
        var cj = new double[Math.Max(h - 1, 0)];
        var fj = Identity(p);
        for (int i = 0; i < h - 1; i++)
        {
            var hf = MultiplySparse(hRow, fj);
            mu[i] = MultiplySparse(hf, x)[0, 0];
            cj[i] = MultiplySparse(hf, g)[0, 0];
            fj = MultiplySparse(fj, f);
        }
        mu[h - 1] = MultiplySparse(MultiplySparse(hRow, fj), x)[0, 0];
        var variance = new double[h];
        variance[0] = sigma2;
        double cum = 0;
        for (int i = 1; i < h; i++)
        {
            cum += cj[i - 1] * cj[i - 1];
            variance[i] = sigma2 * (1 + cum);
        }
        return (mu, variance, cj);
    }

    /// <summary>class2: multiplicative errors with linear states; θ_j = μ_j² + σ² Σ c_i² θ_{j−i}, Var = (1 + σ²)θ − μ².</summary>
    private static (double[] Mean, double[] Variance) Class2(int h, double[] last, EtsForm form, int m, double sigma2, EtsParameters par)
    {
        var (mu, _, cj) = Class1(h, last, form, m, sigma2, par);
        var theta = new double[h];
        theta[0] = mu[0] * mu[0];
        for (int j = 1; j < h; j++)
        {
            double s = 0;
            for (int i = 0; i < j; i++) s += cj[i] * cj[i] * theta[j - 1 - i];
            theta[j] = mu[j] * mu[j] + sigma2 * s;
        }
        var variance = new double[h];
        for (int j = 0; j < h; j++) variance[j] = (1 + sigma2) * theta[j] - mu[j] * mu[j];
        return (mu, variance);
    }

    /// <summary>class3: multiplicative error and season (Hyndman et al. 2008, section 6.4), by the Kronecker recursions.</summary>
    private static (double[] Mean, double[] Variance) Class3(int h, double[] last, EtsForm form, int m, double sigma2, EtsParameters par)
    {
        int p = last.Length;
        bool trend = form.Trend != EtsComponent.None;
        int nonSeasonal = p - m;
        var h1 = new double[1, nonSeasonal];
        for (int i = 0; i < nonSeasonal; i++) h1[0, i] = 1;
        var h2 = new double[1, m];
        h2[0, m - 1] = 1;
        double[,] f1, g1;
        if (!trend)
        {
            f1 = new double[,] { { 1 } };
            g1 = new double[,] { { par.Alpha } };
        }
        else
        {
            f1 = new double[,] { { 1, 1 }, { 0, form.Damped ? par.Phi!.Value : 1 } };
            g1 = new double[,] { { par.Alpha, par.Alpha }, { par.Beta!.Value, par.Beta!.Value } };
        }
        var f2 = new double[m, m];
        f2[0, m - 1] = 1;
        for (int i = 1; i < m; i++) f2[i, i - 1] = 1;
        var g2 = new double[m, m];
        g2[0, m - 1] = par.Gamma!.Value;

        var mh = new double[nonSeasonal, m];
        for (int i = 0; i < nonSeasonal; i++)
            for (int j = 0; j < m; j++) mh[i, j] = last[i] * last[nonSeasonal + j];
        int size = nonSeasonal * m;
        var vh = new double[size, size];
        var h21 = Kronecker(h2, h1);
        var f21 = Kronecker(f2, f1);
        var g21 = Kronecker(g2, g1);
        var k = Add(Kronecker(g2, f1), Kronecker(f2, g1));
        var h21t = Transpose(h21);
        var f21t = Transpose(f21);
        var g21t = Transpose(g21);
        var kt = Transpose(k);
        var h2t = Transpose(h2);
        var f2t = Transpose(f2);
        var g2t = Transpose(g2);

        var mu = new double[h];
        var variance = new double[h];
        for (int i = 0; i < h; i++)
        {
            mu[i] = MultiplySparse(MultiplySparse(h1, mh), h2t)[0, 0];
            variance[i] = (1 + sigma2) * MultiplySparse(MultiplySparse(h21, vh), h21t)[0, 0] + sigma2 * mu[i] * mu[i];
            var vecMh = Vec(mh);
            var outer = MultiplySparse(vecMh, Transpose(vecMh));
            var term = Add(MultiplySparse(MultiplySparse(f21, vh), g21t), MultiplySparse(MultiplySparse(g21, vh), f21t));
            term = Add(term, MultiplySparse(MultiplySparse(k, Add(vh, outer)), kt));
            term = Add(term, Scale(MultiplySparse(MultiplySparse(g21, Add(Scale(vh, 3), Scale(outer, 2))), g21t), sigma2));
            vh = Add(MultiplySparse(MultiplySparse(f21, vh), f21t), Scale(term, sigma2));
            mh = Add(MultiplySparse(MultiplySparse(f1, mh), f2t), Scale(MultiplySparse(MultiplySparse(g1, mh), g2t), sigma2));
        }
        return (mu, variance);
    }
}
