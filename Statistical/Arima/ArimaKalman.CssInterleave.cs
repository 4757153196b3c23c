using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Forecast.Statistical.Arima;

internal static partial class ArimaKalman
{
    /// <summary>
    /// Rows <paramref name="from"/> to <paramref name="n"/> − 1 of four lanes into the time-major buffer
    /// <paramref name="rows"/> (row l's lanes at l·<paramref name="stride"/> + <paramref name="k0"/>): a copy, so the
    /// same values. Two rows at a time through a 2 × 2 transpose of 128-bit halves (two loads, two inserts, two unpacks
    /// for eight values) instead of eight scalar loads and inserts.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Interleave4(double[] p0, double[] p1, double[] p2, double[] p3, int from, int n, double[] rows, int stride, int k0)
    {
        if (p0.Length < n || p1.Length < n || p2.Length < n || p3.Length < n) throw new ArgumentException("The lanes are shorter than the series.");
        if (from < 0 || k0 < 0 || k0 + 4 > stride || rows.Length < n * stride) throw new ArgumentException("The rows do not hold the lanes.");
        ref double row = ref MemoryMarshal.GetArrayDataReference(rows);
        ref double a = ref MemoryMarshal.GetArrayDataReference(p0);
        ref double b = ref MemoryMarshal.GetArrayDataReference(p1);
        ref double c = ref MemoryMarshal.GetArrayDataReference(p2);
        ref double e = ref MemoryMarshal.GetArrayDataReference(p3);
        int l = from;
        if (Avx.IsSupported)
        {
            for (; l + 2 <= n; l += 2)
            {
                // ac = (a[l], a[l+1], c[l], c[l+1]), be = (b[l], b[l+1], e[l], e[l+1]): unpacking their low and high
                // elements gives rows l and l + 1.
                var ac = Vector256.Create(Vector128.LoadUnsafe(ref a, (nuint)l), Vector128.LoadUnsafe(ref c, (nuint)l));
                var be = Vector256.Create(Vector128.LoadUnsafe(ref b, (nuint)l), Vector128.LoadUnsafe(ref e, (nuint)l));
                Avx.UnpackLow(ac, be).StoreUnsafe(ref row, (nuint)(l * stride + k0));
                Avx.UnpackHigh(ac, be).StoreUnsafe(ref row, (nuint)((l + 1) * stride + k0));
            }
        }
        for (; l < n; l++)
            Vector256.Create(Unsafe.Add(ref a, l), Unsafe.Add(ref b, l), Unsafe.Add(ref c, l), Unsafe.Add(ref e, l)).StoreUnsafe(ref row, (nuint)(l * stride + k0));
    }
}
