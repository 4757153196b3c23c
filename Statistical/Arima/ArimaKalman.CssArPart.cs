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
        // Term by term over the whole range (each element still takes its terms in order): a streaming loop per term
        // instead of a loop over the terms inside each vector step.
        int width = Vector256<double>.Count;
        ref double w0 = ref MemoryMarshal.GetArrayDataReference(w);
        ref double u0 = ref MemoryMarshal.GetArrayDataReference(part);
        for (int t = 0; t < lags.Length; t++)
        {
            // The first term reads the series itself, the later ones the part so far.
            ref double source = ref t == 0 ? ref w0 : ref u0;
            double c = coefficients[t];
            var cv = Vector256.Create(c);
            int back = lags[t] + 1;
            int l = from;
            for (; l + width <= n; l += width)
                (Vector256.LoadUnsafe(ref source, (nuint)l) - cv * Vector256.LoadUnsafe(ref w0, (nuint)(l - back))).StoreUnsafe(ref u0, (nuint)l);
            for (; l < n; l++)
                Unsafe.Add(ref u0, l) = Unsafe.Add(ref source, l) - c * Unsafe.Add(ref w0, l - back);
        }
    }
}
