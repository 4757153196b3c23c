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

    /// <summary>
    /// <see cref="Fill"/> with one <see cref="Math.SinCos"/> per row instead of one per order: the higher harmonics by
    /// angle addition, sin((i+1)x) = sin(ix)cos(x) + cos(ix)sin(x), cos((i+1)x) = cos(ix)cos(x) - sin(ix)sin(x). Each
    /// step adds about one rounding, so order i is within about i·1e-16 of <see cref="Fill"/>'s value — far below the
    /// error the angle 2·i·pi·t/period already carries (|angle|·1e-16, t being days since 1970) — but not bit-identical
    /// to prophet's, so only the exact fit uses it; the R-compatible fit and <see cref="Fill"/> keep R's expression.
    /// </summary>
    internal static void FillByRecurrence(DateTime ds, double period, int order, Span<double> destination)
    {
        if (order <= 0)
        {
            return;
        }

        var (sin1, cos1) = Math.SinCos(2.0 * Math.PI * EpochDays(ds) / period);
        double sin = sin1, cos = cos1;
        destination[0] = sin;
        destination[1] = cos;
        for (var i = 1; i < order; i++)
        {
            (sin, cos) = ((sin * cos1) + (cos * sin1), (cos * cos1) - (sin * sin1));
            destination[2 * i] = sin;
            destination[(2 * i) + 1] = cos;
        }
    }
}
