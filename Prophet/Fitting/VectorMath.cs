using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Forecast.Prophet;

/// <summary>SIMD dot product and axpy (System.Numerics.Vector) for the dense T × K and p × p loops of the fit.</summary>
internal static class VectorMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var n = a.Length;
        var i = 0;
        var sum = 0.0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b[..n]);
            var acc = Vector<double>.Zero;
            for (var v = 0; v < va.Length; v++)
            {
                acc += va[v] * vb[v];
            }

            sum = Vector.Sum(acc);
            i = va.Length * Vector<double>.Count;
        }

        for (; i < n; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>
    /// (a0·b, a1·b, a2·b, a3·b) in one pass over b, each summed exactly as <see cref="Dot"/> sums it (the same bits):
    /// the Cholesky factorisation's inner products of four rows with one, sharing the loads of that row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double, double, double, double) Dot4(ReadOnlySpan<double> a0, ReadOnlySpan<double> a1, ReadOnlySpan<double> a2,
        ReadOnlySpan<double> a3, ReadOnlySpan<double> b)
    {
        var n = b.Length;
        var i = 0;
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b);
            var v0 = MemoryMarshal.Cast<double, Vector<double>>(a0[..n]);
            var v1 = MemoryMarshal.Cast<double, Vector<double>>(a1[..n]);
            var v2 = MemoryMarshal.Cast<double, Vector<double>>(a2[..n]);
            var v3 = MemoryMarshal.Cast<double, Vector<double>>(a3[..n]);
            Vector<double> c0 = Vector<double>.Zero, c1 = Vector<double>.Zero, c2 = Vector<double>.Zero, c3 = Vector<double>.Zero;
            for (var v = 0; v < vb.Length; v++)
            {
                var x = vb[v];
                c0 += v0[v] * x;
                c1 += v1[v] * x;
                c2 += v2[v] * x;
                c3 += v3[v] * x;
            }

            s0 = Vector.Sum(c0);
            s1 = Vector.Sum(c1);
            s2 = Vector.Sum(c2);
            s3 = Vector.Sum(c3);
            i = vb.Length * Vector<double>.Count;
        }

        for (; i < n; i++)
        {
            s0 += a0[i] * b[i];
            s1 += a1[i] * b[i];
            s2 += a2[i] * b[i];
            s3 += a3[i] * b[i];
        }

        return (s0, s1, s2, s3);
    }

    /// <summary>(a·c, b·c) in one pass over c, each summed in the order of <see cref="Dot"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (double, double) Dot2(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> c)
    {
        var n = c.Length;
        var i = 0;
        double sumA = 0.0, sumB = 0.0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a[..n]);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b[..n]);
            var vc = MemoryMarshal.Cast<double, Vector<double>>(c);
            Vector<double> accA = Vector<double>.Zero, accB = Vector<double>.Zero;
            for (var v = 0; v < vc.Length; v++)
            {
                accA += va[v] * vc[v];
                accB += vb[v] * vc[v];
            }

            sumA = Vector.Sum(accA);
            sumB = Vector.Sum(accB);
            i = vc.Length * Vector<double>.Count;
        }

        for (; i < n; i++)
        {
            sumA += a[i] * c[i];
            sumB += b[i] * c[i];
        }

        return (sumA, sumB);
    }

    /// <summary>y = alpha · x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scale(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        var n = x.Length;
        var i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y[..n]);
            var va = new Vector<double>(alpha);
            for (var v = 0; v < vx.Length; v++)
            {
                vy[v] = va * vx[v];
            }

            i = vx.Length * Vector<double>.Count;
        }

        for (; i < n; i++)
        {
            y[i] = alpha * x[i];
        }
    }

    /// <summary>y += alpha · |x|.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddAbsolute(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        var n = x.Length;
        var i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y[..n]);
            var va = new Vector<double>(alpha);
            for (var v = 0; v < vx.Length; v++)
            {
                vy[v] += va * Vector.Abs(vx[v]);
            }

            i = vx.Length * Vector<double>.Count;
        }

        for (; i < n; i++)
        {
            y[i] += alpha * Math.Abs(x[i]);
        }
    }

    /// <summary>y += alpha · x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(double alpha, ReadOnlySpan<double> x, Span<double> y)
    {
        var n = x.Length;
        var i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<double>.Count)
        {
            var vx = MemoryMarshal.Cast<double, Vector<double>>(x);
            var vy = MemoryMarshal.Cast<double, Vector<double>>(y[..n]);
            var va = new Vector<double>(alpha);
            for (var v = 0; v < vx.Length; v++)
            {
                vy[v] += va * vx[v];
            }

            i = vx.Length * Vector<double>.Count;
        }

        for (; i < n; i++)
        {
            y[i] += alpha * x[i];
        }
    }
}
