namespace Forecast.Core.Models;

/// <summary>What to forecast: how many steps ahead and which quantile levels (0 &lt; q &lt; 1, ascending).</summary>
public sealed record ForecastRequest(int Horizon, IReadOnlyList<double> Quantiles)
{
    public static readonly IReadOnlyList<double> DefaultQuantiles = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

    /// <summary>
    /// Values known in advance over the horizon, per series id: covariate name → <see cref="Horizon"/> values (the
    /// future part of prophet's extra regressors, Chronos-2's future_covariates). Null when the caller has none; in
    /// evaluation windows they are the data's covariate columns over the window.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double[]>>? FutureCovariates { get; init; }

    /// <summary>The <see cref="Horizon"/> future values of <paramref name="covariate"/> for series <paramref name="seriesId"/>, or a clear error.</summary>
    public double[] FutureValues(string seriesId, string covariate, string configKey)
    {
        if (FutureCovariates is null || !FutureCovariates.TryGetValue(seriesId, out var columns) || !columns.TryGetValue(covariate, out var values))
            throw new InvalidOperationException(
                $"{configKey} names '{covariate}', but no future values of it were given for series '{seriesId}'; list it under data.covariates and give its future rows in data.future_covariates_path.");
        if (values.Length != Horizon)
            throw new InvalidOperationException(
                $"{configKey}: series '{seriesId}' has {values.Length} future values of '{covariate}', but the horizon is {Horizon}.");
        return values;
    }
}
