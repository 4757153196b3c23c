namespace Forecast.Statistical.Theta;

/// <summary>
/// A fitted Theta method (R forecast's <c>thetaf</c> result): the smoothing parameter, the drift (half the slope of
/// the linear trend line), the seasonal indices when the series was found seasonal, and forecasts with R's intervals.
/// </summary>
public sealed class ThetaModel : IFittedModel
{
    private readonly double[] _fitted;
    private readonly double[] _residuals;
    private readonly Func<int, double[], StatisticalForecast> _forecast;

    internal ThetaModel(string description, double alpha, double drift, double? theta, double[]? seasonalIndices, double sigma2,
        double[] fitted, double[] residuals, int seasonLength, Func<int, double[], StatisticalForecast> forecast)
    {
        Description = description;
        Alpha = alpha;
        Drift = drift;
        ThetaCoefficient = theta;
        SeasonalIndices = seasonalIndices;
        Sigma2 = sigma2;
        _fitted = fitted;
        _residuals = residuals;
        SeasonLength = seasonLength;
        _forecast = forecast;
    }

    /// <summary>"Theta" for R's method, or the statsforecast variant's name (STM, OTM, DSTM, DOTM).</summary>
    public string Description { get; }

    /// <summary>The smoothing parameter of the exponential smoothing line.</summary>
    public double Alpha { get; }

    /// <summary>R's <c>$model$drift</c>: half the slope of the regression line on time (the θ = 0 line's contribution).</summary>
    public double Drift { get; }

    /// <summary>θ of the statsforecast variants (2 for the standard ones); null for R's method.</summary>
    public double? ThetaCoefficient { get; }

    /// <summary>The multiplicative seasonal indices for the next m steps when the series was deseasonalised; null otherwise.</summary>
    public double[]? SeasonalIndices { get; }

    public bool Seasonal => SeasonalIndices is not null;

    public int SeasonLength { get; }

    public IReadOnlyList<double> Fitted => _fitted;

    public IReadOnlyList<double> Residuals => _residuals;

    public double Sigma2 { get; }

    public double? Aicc => null;

    public StatisticalForecast Forecast(int horizon, IReadOnlyList<double>? levels = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        var sorted = (levels ?? [80, 95]).Order().ToArray();
        foreach (double level in sorted)
        {
            if (!(level > 0 && level < 100))
                throw new ArgumentOutOfRangeException(nameof(levels), level, "Interval levels are percentages in (0, 100).");
        }
        return _forecast(horizon, sorted);
    }
}
