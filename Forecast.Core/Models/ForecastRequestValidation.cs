namespace Forecast.Core.Models;

/// <summary>Checks a <see cref="ForecastRequest"/> before a model runs, so every model rejects bad requests alike.</summary>
public static class ForecastRequestValidation
{
    public static void ThrowIfInvalid(ForecastRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Horizon < 1)
            throw new ArgumentOutOfRangeException(nameof(request), request.Horizon, "The horizon must be at least 1 step.");
        double previous = 0;
        foreach (double q in request.Quantiles)
        {
            if (!(q > 0 && q < 1))
                throw new ArgumentOutOfRangeException(nameof(request), q, "Quantile levels must lie strictly between 0 and 1.");
            if (q <= previous)
                throw new ArgumentException($"Quantile levels must be strictly ascending; {q} follows {previous}.", nameof(request));
            previous = q;
        }
    }
}
