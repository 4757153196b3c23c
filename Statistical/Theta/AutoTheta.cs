namespace Forecast.Statistical.Theta;

/// <summary>
/// The Theta method: by default R forecast 8.20's <c>thetaf()</c> (<see cref="ThetaVariant.Standard"/>); the
/// optimised and dynamic Theta models of statsforecast's AutoTheta are options (<see cref="Variant"/>).
/// </summary>
public sealed class AutoTheta : IStatisticalModel
{
    public string Name => "theta";

    public ThetaVariant Variant { get; init; } = ThetaVariant.Standard;

    IFittedModel IStatisticalModel.Fit(ReadOnlySpan<double> y, int seasonLength) => Fit(y, seasonLength);

    /// <summary>Fits <paramref name="y"/>; the series must have no missing values (R's thetaf stops on NA).</summary>
    public ThetaModel Fit(ReadOnlySpan<double> y, int seasonLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seasonLength, 1);
        if (y.IsEmpty) throw new UnsuitableSeriesException("The series is empty; theta needs observations.");
        foreach (double v in y)
        {
            if (!double.IsFinite(v))
                throw new UnsuitableSeriesException("The series has missing values; theta needs a complete series (fill the gaps first).");
        }
        var x = y.ToArray();
        return Variant switch
        {
            ThetaVariant.Standard => StandardTheta.Fit(x, seasonLength),
            _ => DynamicThetaModels.Fit(x, seasonLength, Variant),
        };
    }
}
