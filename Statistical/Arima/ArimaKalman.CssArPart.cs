using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Forecast.Statistical.Arima;

internal static partial class ArimaKalman
{
    /// <summary>
    /// The AR part of each CSS lane's step (ARIMA_CSS's tmp = w[l] − Σ phi[j]·w[l − j − 1], its nonzero terms in
    /// order) from <paramref name="from"/> on: it reads only the differenced series, never the residuals, so it is
    /// computed ahead of the MA recursion, four time steps per vector operation (each step's multiplications and
    /// subtractions in the single call's order, no fused multiply-add: the same bits), once for each distinct pair of
    /// series and AR coefficients (a gradient's MA and regression lanes share theirs). Lanes without AR terms get their
    /// series itself. Entries before <paramref name="from"/> are not written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[][] CssArParts(double[][] w, double[][] arCoef, int[] arLag, int from, int n, Q0Buffers buffers)
    {
        int lanes = w.Length;
        if (arLag.Length == 0) return w;
        var parts = new double[lanes][];
        int distinct = 0;
        for (int k = 0; k < lanes; k++)
        {
            for (int earlier = 0; earlier < k && parts[k] is null; earlier++)
                if (ReferenceEquals(w[earlier], w[k]) && arCoef[earlier].AsSpan().SequenceEqual(arCoef[k]))
                    parts[k] = parts[earlier];
            if (parts[k] is not null) continue;
            while (buffers.ArParts.Count <= distinct) buffers.ArParts.Add([]);
            var part = buffers.ArParts[distinct];
            if (part.Length < n) buffers.ArParts[distinct] = part = new double[n];
            distinct++;
            CssArPart(w[k], arCoef[k], arLag, from, n, part);
            parts[k] = part;
        }
        return parts;
    }

    /// <summary>part[l] = w[l] − Σ_t coefficients[t]·w[l − lags[t] − 1] for l in [from, n), the terms in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void CssArPart(double[] w, double[] coefficients, int[] lags, int from, int n, double[] part)
    {
        if (w.Length < n || part.Length < n || coefficients.Length != lags.Length) throw new ArgumentException("The AR part's buffers are shorter than the series.");
        for (int t = 0; t < lags.Length; t++)
            if (from - lags[t] - 1 < 0) throw new ArgumentException("The AR terms reach before the series' start.");
        int nar = lags.Length;
        ref double w0 = ref MemoryMarshal.GetArrayDataReference(w);
        ref double u0 = ref MemoryMarshal.GetArrayDataReference(part);
        int l = from;
        int width = Vector256<double>.Count;
        for (; l + width <= n; l += width)
        {
            var tmp = Vector256.LoadUnsafe(ref w0, (nuint)l);
            for (int t = 0; t < nar; t++)
                tmp -= Vector256.Create(coefficients[t]) * Vector256.LoadUnsafe(ref w0, (nuint)(l - lags[t] - 1));
            tmp.StoreUnsafe(ref u0, (nuint)l);
        }
        for (; l < n; l++)
        {
            double tmp = w[l];
            for (int t = 0; t < nar; t++) tmp -= coefficients[t] * w[l - lags[t] - 1];
            part[l] = tmp;
        }
    }
}
