namespace Forecast.Prophet;

/// <summary>Fourier features of a seasonality (forecaster.py / prophet.R: <c>fourier_series</c>; spec §4.1).</summary>
public static class FourierSeries
{
    private static readonly DateTime Epoch = new(1970, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    /// <summary>Days since 1970-01-01 (fractional), the time axis of every Fourier feature (not the scaled t).</summary>
    public static double EpochDays(DateTime ds) => (ds - Epoch).Ticks / (double)TimeSpan.TicksPerSecond / 86400.0;

    /// <summary>
    /// Writes the 2·order columns [sin1, cos1, sin2, cos2, ...] of a period-<paramref name="period"/> (days) series
    /// for row <paramref name="ds"/> into <paramref name="destination"/>.
    /// </summary>
    public static void Fill(DateTime ds, double period, int order, Span<double> destination)
    {
        var t = EpochDays(ds);
        for (var i = 1; i <= order; i++)
        {
            // prophet.R fourier_series: 2 * i * pi * t / period (same expression order, so values agree to the bit).
            var angle = 2.0 * i * Math.PI * t / period;
            (destination[2 * (i - 1)], destination[(2 * (i - 1)) + 1]) = Math.SinCos(angle);
        }
    }
}
