using Forecast.Statistical.Ets;

namespace Forecast.Statistical.Mstl;

/// <summary>
/// A fitted <see cref="MstlModel"/>: the decomposition, the ETS fit of the seasonally adjusted series, and forecasts
/// that add the seasonal components' last periods to that fit's forecasts (R forecast's <c>forecast.mstl</c>).
/// </summary>
public sealed class MstlFit : IFittedModel
{
    private readonly double[] _fitted;
    private readonly double[] _residuals;

    internal MstlFit(MstlDecomposition decomposition, EtsModel adjusted, double[] y)
    {
        Decomposition = decomposition;
        Adjusted = adjusted;
        int n = y.Length;
        // R: fitted = fitted(ETS of the adjusted series) + all seasonal components; residuals = y − fitted.
        _fitted = new double[n];
        _residuals = new double[n];
        for (int t = 0; t < n; t++)
        {
            double seasons = 0;
            foreach (var component in decomposition.Seasonal) seasons += component[t];
            _fitted[t] = adjusted.Fitted[t] + seasons;
            _residuals[t] = y[t] - _fitted[t];
        }
    }

    public MstlDecomposition Decomposition { get; }

    /// <summary>The ETS fit of the seasonally adjusted series (trend + remainder).</summary>
    public EtsModel Adjusted { get; }

    /// <summary>"MSTL(24,168) + ETS(A,Ad,N)": the periods and the adjusted series' ETS form.</summary>
    public string Description => $"MSTL({string.Join(",", Decomposition.SeasonLengths)}) + {Adjusted.Description}";

    /// <summary>The shortest period.</summary>
    public int SeasonLength => Decomposition.SeasonLengths[0];

    public IReadOnlyList<double> Fitted => _fitted;

    public IReadOnlyList<double> Residuals => _residuals;

    /// <summary>The innovation variance of the adjusted series' ETS, which the intervals use.</summary>
    public double Sigma2 => Adjusted.Sigma2;

    /// <summary>The AICc of the adjusted series' ETS (a criterion of that series, not of the data).</summary>
    public double? Aicc => Adjusted.Aicc;

    public StatisticalForecast Forecast(int horizon, IReadOnlyList<double>? levels = null)
    {
        var forecast = Adjusted.Forecast(horizon, levels);
        var seasons = FutureSeasons(horizon);
        return new StatisticalForecast(Add(forecast.Mean, seasons), forecast.Levels,
            [.. forecast.Lower.Select(row => Add(row, seasons))], [.. forecast.Upper.Select(row => Add(row, seasons))]);
    }

    /// <summary>Σ over components of its last period repeated over the horizon (R: rep(last mp values, …)[1:h]).</summary>
    private double[] FutureSeasons(int horizon)
    {
        var seasons = new double[horizon];
        for (int i = 0; i < Decomposition.Seasonal.Length; i++)
        {
            var component = Decomposition.Seasonal[i];
            int period = Decomposition.SeasonLengths[i], n = component.Length;
            for (int h = 0; h < horizon; h++) seasons[h] += component[n - period + h % period];
        }
        return seasons;
    }

    private static double[] Add(double[] values, double[] seasons)
    {
        var result = new double[values.Length];
        for (int h = 0; h < values.Length; h++) result[h] = values[h] + seasons[h];
        return result;
    }
}
