using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Forecast.Statistical.Arima;

internal static partial class ArimaKalman
{
    /// <summary>
    /// ARIMA_CSS's differencing in place: <paramref name="d"/> times w[l] −= w[l − 1], then <paramref name="seasonalD"/>
    /// times w[l] −= w[l − <paramref name="period"/>], each from the end down. Four elements per vector subtraction,
    /// blocks from the end down: a block's operands below it are not yet written and its own are loaded before it is
    /// stored, so every element is its original minus its lagged original, as the scalar loop gives.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Difference(Span<double> w, int d, int seasonalD, int period)
    {
        for (int i = 0; i < d; i++) DifferenceOnce(w, 1);
        for (int i = 0; i < seasonalD; i++) DifferenceOnce(w, period);
    }

    /// <summary>w[l] −= w[l − lag] for l from the end down to <paramref name="lag"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DifferenceOnce(Span<double> w, int lag)
    {
        if (lag < 1) throw new ArgumentException("A differencing lag below one.");
        ref double w0 = ref MemoryMarshal.GetReference(w);
        int width = Vector256<double>.Count;
        int l = w.Length - width;
        // Where 256-bit vectors are emulated (e.g. Arm64) the scalar loop below does every element, as before.
        if (Vector256.IsHardwareAccelerated)
            for (; l >= lag; l -= width)
                (Vector256.LoadUnsafe(ref w0, (nuint)l) - Vector256.LoadUnsafe(ref w0, (nuint)(l - lag))).StoreUnsafe(ref w0, (nuint)l);
        for (int j = l + width - 1; j >= lag; j--) Unsafe.Add(ref w0, j) -= Unsafe.Add(ref w0, j - lag);
    }
}
