using System.Runtime.CompilerServices;

namespace Forecast.Prophet;

/// <summary>
/// prophet's trend functions on the scaled time axis (forecaster.py: <c>piecewise_linear</c>,
/// <c>piecewise_logistic</c>, <c>flat_trend</c>; spec §11 step 2). Changepoints must be sorted ascending; rates
/// and offsets accumulate in changepoint order as R prophet's loops do.
/// </summary>
internal static class PiecewiseTrend
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double[] Linear(ReadOnlySpan<double> t, double k, double m, ReadOnlySpan<double> deltas, ReadOnlySpan<double> changepointsT)
    {
        var result = new double[t.Length];
        for (var i = 0; i < t.Length; i++)
        {
            var rate = k;
            var offset = m;
            for (var j = 0; j < changepointsT.Length; j++)
            {
                if (t[i] >= changepointsT[j])
                {
                    rate += deltas[j];
                    offset += -changepointsT[j] * deltas[j];
                }
            }

            result[i] = (rate * t[i]) + offset;
        }

        return result;
    }

    /// <summary>The offset adjustments gamma that keep the logistic trend continuous (prophet.stan logistic_gamma).</summary>
    public static double[] LogisticGammas(double k, double m, ReadOnlySpan<double> deltas, ReadOnlySpan<double> changepointsT)
    {
        var gammas = new double[changepointsT.Length];
        var kPrevious = k;
        var gammaSum = 0.0;
        for (var j = 0; j < changepointsT.Length; j++)
        {
            var kNext = kPrevious + deltas[j];
            gammas[j] = (changepointsT[j] - m - gammaSum) * (1.0 - (kPrevious / kNext));
            gammaSum += gammas[j];
            kPrevious = kNext;
        }

        return gammas;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double[] Logistic(ReadOnlySpan<double> t, ReadOnlySpan<double> cap, double k, double m, ReadOnlySpan<double> deltas, ReadOnlySpan<double> changepointsT)
    {
        var gammas = LogisticGammas(k, m, deltas, changepointsT);
        var result = new double[t.Length];
        for (var i = 0; i < t.Length; i++)
        {
            var rate = k;
            var offset = m;
            for (var j = 0; j < changepointsT.Length; j++)
            {
                if (t[i] >= changepointsT[j])
                {
                    rate += deltas[j];
                    offset += gammas[j];
                }
            }

            result[i] = cap[i] / (1.0 + Math.Exp(-rate * (t[i] - offset)));
        }

        return result;
    }

    public static double[] Flat(int rows, double m)
    {
        var result = new double[rows];
        Array.Fill(result, m);
        return result;
    }
}
