using System.Runtime.CompilerServices;

namespace Forecast.Prophet;

/// <summary>numpy <c>percentile</c> with linear interpolation (= R <c>quantile</c> type 7; spec §12).</summary>
public static class Percentile
{
    /// <summary>The q-quantile (q in [0, 1]) of <paramref name="values"/>, which is reordered in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Linear(Span<double> values, double q)
    {
        var n = values.Length;
        if (n == 0)
        {
            return double.NaN;
        }

        var h = (n - 1) * q;
        var lo = (int)Math.Floor(h);
        var low = Select(values, lo);
        if (lo + 1 >= n)
        {
            return low;
        }

        // After selection every element right of lo is >= low; the next order statistic is their minimum.
        var high = double.PositiveInfinity;
        foreach (var v in values[(lo + 1)..])
        {
            high = Math.Min(high, v);
        }

        return low + ((h - lo) * (high - low));
    }

    /// <summary>Quickselect (Hoare partition, median-of-three): the k-th smallest, partitioning around it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Select(Span<double> a, int k)
    {
        int left = 0, right = a.Length - 1;
        while (right > left)
        {
            var mid = left + ((right - left) / 2);
            if (a[mid] < a[left])
            {
                (a[mid], a[left]) = (a[left], a[mid]);
            }

            if (a[right] < a[left])
            {
                (a[right], a[left]) = (a[left], a[right]);
            }

            if (a[right] < a[mid])
            {
                (a[right], a[mid]) = (a[mid], a[right]);
            }

            var pivot = a[mid];
            int i = left, j = right;
            while (i <= j)
            {
                while (a[i] < pivot)
                {
                    i++;
                }

                while (a[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return a[k];
            }
        }

        return a[k];
    }
}
