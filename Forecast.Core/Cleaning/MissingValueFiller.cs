namespace Forecast.Core.Cleaning;

/// <summary>Fills NaN in place on a regular grid by <see cref="FillPolicy"/>; returns how many values it filled.</summary>
internal static class MissingValueFiller
{
    public static int Fill(double[] values, FillPolicy policy)
    {
        if (policy == FillPolicy.None) return 0;
        int first = Array.FindIndex(values, v => !double.IsNaN(v));
        if (first < 0) return 0; // nothing to fill from; cleaning rejects all-missing targets before this
        int filled = 0;
        switch (policy)
        {
            case FillPolicy.Zero:
                for (int i = 0; i < values.Length; i++) if (double.IsNaN(values[i])) { values[i] = 0; filled++; }
                break;

            case FillPolicy.Ffill:
                // A leading gap has nothing before it: it takes the first observed value (pandas ffill then bfill).
                for (int i = 0; i < first; i++) { values[i] = values[first]; filled++; }
                for (int i = first + 1; i < values.Length; i++) if (double.IsNaN(values[i])) { values[i] = values[i - 1]; filled++; }
                break;

            case FillPolicy.Linear:
                // pandas interpolate(method="linear", limit_direction="both"): inner gaps on the line between their
                // neighbours (the grid is regular, so index distance is time distance), ends the nearest observed value.
                for (int i = 0; i < first; i++) { values[i] = values[first]; filled++; }
                int previous = first;
                for (int i = first + 1; i < values.Length; i++)
                {
                    if (double.IsNaN(values[i])) continue;
                    for (int k = previous + 1; k < i; k++)
                    {
                        values[k] = values[previous] + (values[i] - values[previous]) * (k - previous) / (i - previous);
                        filled++;
                    }
                    previous = i;
                }
                for (int i = previous + 1; i < values.Length; i++) { values[i] = values[previous]; filled++; }
                break;
        }
        return filled;
    }
}
