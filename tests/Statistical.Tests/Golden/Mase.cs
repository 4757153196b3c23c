namespace Forecast.Statistical.Tests.Golden;

/// <summary>
/// MASE as the baselines compute it (M4): mean |y − ŷ| over the horizon divided by the in-sample mean absolute
/// seasonal difference of the whole training part (m = 1 when the training part is not longer than m); a dataset's
/// value is the mean over series with a finite, non-zero scale.
/// </summary>
internal static class Mase
{
    public static double Scale(double[] train, int m)
    {
        if (train.Length <= m) m = 1;
        double sum = 0;
        int count = 0;
        for (int t = m; t < train.Length; t++)
        {
            double d = Math.Abs(train[t] - train[t - m]);
            if (double.IsNaN(d)) continue;
            sum += d;
            count++;
        }
        return count == 0 ? double.NaN : sum / count;
    }

    public static double Of(double[] actual, double[] forecast, double scale)
    {
        double sum = 0;
        for (int h = 0; h < actual.Length; h++) sum += Math.Abs(actual[h] - forecast[h]);
        return sum / actual.Length / scale;
    }

    public static double Mean(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        return finite.Count == 0 ? double.NaN : finite.Average();
    }
}
