using Forecast.Statistical.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Forecast.Statistical.Arima;

internal static partial class ArimaKalman
{
    /// <summary>
    /// Whether <see cref="Q0Lanes"/> computes Q0 for ARMA parts of these lengths: an AR part (a pure moving average
    /// needs no inclusions), more than one state, and fewer states than the sparse inclusions take over from.
    /// </summary>
    public static bool HasQ0Lanes(int p, int q) => p > 0 && Math.Max(p, q + 1) is > 1 and < SparseQ0States && Vector256.IsHardwareAccelerated;

    /// <summary>
    /// getQ0 (Gardner et al.'s AS 154, <c>inclu2</c> and its back-substitution) for up to four ARMA parts of the same
    /// lengths at once, one vector lane each (a numerical gradient's points): each lane performs the dense scalar
    /// call's multiplications, additions and divisions in its order (no fused multiply-add), and a lane whose row
    /// element is zero, or whose inclusion has ended (inclu2's return on a zero d), keeps its values, so each result is
    /// <see cref="Q0(double[], double[])"/>'s to the bit. Lanes past <paramref name="count"/> repeat lane 0 and are not written.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Q0Lanes(double[][] phis, double[][] thetas, int count, double[][] results)
    {
        int p = phis[0].Length, q = thetas[0].Length;
        int r = Math.Max(p, q + 1);
        if (!HasQ0Lanes(p, q)) throw new ArgumentException("Q0Lanes needs an AR part and 2 to 15 ARMA states.");
        int np = r * (r + 1) / 2;
        int nrbar = np * (np - 1) / 2;
        int l1 = count > 1 ? 1 : 0, l2 = count > 2 ? 2 : 0, l3 = count > 3 ? 3 : 0;
        var (phi0, phi1, phi2, phi3) = (phis[0], phis[l1], phis[l2], phis[l3]);
        var (theta0, theta1, theta2, theta3) = (thetas[0], thetas[l1], thetas[l2], thetas[l3]);
        var buffers = q0LaneBuffers ??= new Q0LaneBuffers();
        var v = buffers.Get(ref buffers.V, np);
        var packed = buffers.Get(ref buffers.Packed, np);
        var rbar = buffers.Get(ref buffers.Rbar, nrbar);
        var thetab = buffers.Get(ref buffers.Thetab, np);
        var xnext = buffers.Get(ref buffers.Xnext, np);
        var xrow = buffers.Get(ref buffers.Xrow, np);
        var phiV = buffers.Get(ref buffers.Phi, r);
        for (int j = 0; j < p; j++) phiV[j] = Vector256.Create(phi0[j], phi1[j], phi2[j], phi3[j]);

        int ind = 0;
        for (int j = 0; j < r; j++)
        {
            var vj = j == 0 ? Vector256<double>.One : j - 1 < q ? Vector256.Create(theta0[j - 1], theta1[j - 1], theta2[j - 1], theta3[j - 1]) : Vector256<double>.Zero;
            for (int i = j; i < r; i++)
            {
                var vi = i == 0 ? Vector256<double>.One : i - 1 < q ? Vector256.Create(theta0[i - 1], theta1[i - 1], theta2[i - 1], theta3[i - 1]) : Vector256<double>.Zero;
                v[ind++] = vi * vj;
            }
        }

        // The loop of getQ0 that builds each equation's row (xnext) and includes it, as Q0's.
        ind = 0;
        int ind1 = -1;
        int npr = np - r;
        int npr1 = npr + 1;
        int indj = npr;
        int ind2 = npr - 1;
        for (int j = 0; j < r; j++)
        {
            var phij = phiV[j];
            xnext[indj++] = Vector256<double>.Zero;
            int indi = npr1 + j;
            for (int i = j; i < r; i++)
            {
                var ynext = v[ind++];
                var phii = phiV[i];
                if (j != r - 1)
                {
                    xnext[indj] = -phii;
                    if (i != r - 1)
                    {
                        xnext[indi] -= phij;
                        xnext[++ind1] = Vector256.Create(-1.0);
                    }
                }
                xnext[npr] = -phii * phij;
                if (++ind2 >= np) ind2 = 0;
                xnext[ind2] += Vector256<double>.One;
                IncludeLanes(np, xnext, xrow, ynext, packed, rbar, thetab);
                xnext[ind2] = Vector256<double>.Zero;
                if (i != r - 1)
                {
                    xnext[indi++] = Vector256<double>.Zero;
                    xnext[ind1] = Vector256<double>.Zero;
                }
            }
        }

        // getQ0's back-substitution.
        int ithisr = nrbar - 1;
        int im = np - 1;
        for (int i = 0; i < np; i++)
        {
            var bi = thetab[im];
            int jm = np - 1;
            for (int j = 0; j < i; j++) bi -= rbar[ithisr--] * packed[jm--];
            packed[im--] = bi;
        }

        // Re-order, then unpack to the full column-major matrix, per lane as Q0 does.
        Span<double> lane = stackalloc double[np];
        for (int l = 0; l < count; l++)
        {
            for (int i = 0; i < np; i++) lane[i] = packed[i].GetElement(l);
            var res = results[l] = new double[r * r];
            // P[0..r) = the last r packed values, then the first np − r shifted to the end.
            for (int i = 0; i < r; i++) res[i] = lane[npr + i];
            for (int i = 0; i < npr; i++) res[r + i] = lane[i];
            int index = np;
            for (int i = r - 1; i > 0; i--)
                for (int j = r - 1; j >= i; j--) res[r * i + j] = res[--index];
            for (int i = 0; i < r - 1; i++)
                for (int j = i + 1; j < r; j++) res[i + r * j] = res[j + r * i];
        }
    }

    /// <summary>
    /// inclu2 for four lanes (<see cref="Include"/>'s arithmetic in each): a lane rotates row i only where its element
    /// of the new row is nonzero and its inclusion has not ended; the others keep d, rbar, thetab and the row as they were.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void IncludeLanes(int np, Vector256<double>[] xnext, Vector256<double>[] xrow, Vector256<double> ynext,
        Vector256<double>[] d, Vector256<double>[] rbar, Vector256<double>[] thetab)
    {
        xnext.AsSpan(0, np).CopyTo(xrow);
        var active = Vector256<double>.AllBitsSet;
        // The row's and rbar's elements by reference: the rotation below is the whole cost of Q0, and every index in it
        // stays within the row (k < np) and rbar's np(np − 1)/2 elements.
        ref var row = ref MemoryMarshal.GetArrayDataReference(xrow);
        ref var bars = ref MemoryMarshal.GetArrayDataReference(rbar);
        int ithisr = 0;
        for (int i = 0; i < np; i++)
        {
            var xi = xrow[i];
            var rotate = active & ~Vector256.Equals(xi, Vector256<double>.Zero);
            if (rotate == Vector256<double>.Zero)
            {
                ithisr += np - i - 1;
                continue;
            }
            var di = d[i];
            var dpi = di + xi * xi;
            var cbar = di / dpi;
            var sbar = xi / dpi;
            ref var bar = ref Unsafe.Add(ref bars, ithisr);
            int length = np - i - 1;
            ref var rest = ref Unsafe.Add(ref row, i + 1);
            // As integers: an all-bits lane is a NaN, which no double comparison finds equal to itself.
            if (rotate.AsUInt64() == Vector256<ulong>.AllBitsSet)
            {
                d[i] = dpi;
                for (int k = 0; k < length; k++)
                {
                    ref var xk = ref Unsafe.Add(ref rest, k);
                    ref var rbthis = ref Unsafe.Add(ref bar, k);
                    var x = xk;
                    var rb = rbthis;
                    xk = x - xi * rb;
                    rbthis = cbar * rb + sbar * x;
                }
                var xk2 = ynext;
                ynext = xk2 - xi * thetab[i];
                thetab[i] = cbar * thetab[i] + sbar * xk2;
            }
            else
            {
                d[i] = LaneMask.Select(rotate, dpi, di);
                for (int k = 0; k < length; k++)
                {
                    ref var xk = ref Unsafe.Add(ref rest, k);
                    ref var rbthis = ref Unsafe.Add(ref bar, k);
                    var x = xk;
                    var rb = rbthis;
                    xk = LaneMask.Select(rotate, x - xi * rb, x);
                    rbthis = LaneMask.Select(rotate, cbar * rb + sbar * x, rb);
                }
                var xk2 = ynext;
                var th = thetab[i];
                ynext = LaneMask.Select(rotate, xk2 - xi * th, xk2);
                thetab[i] = LaneMask.Select(rotate, cbar * th + sbar * xk2, th);
            }
            ithisr += length;
            // inclu2 returns once it has rotated with a zero d.
            active &= ~(rotate & Vector256.Equals(di, Vector256<double>.Zero));
            if (active == Vector256<double>.Zero) return;
        }
    }

    [ThreadStatic]
    private static Q0LaneBuffers? q0LaneBuffers;

    private sealed class Q0LaneBuffers
    {
        public Vector256<double>[] V = [], Packed = [], Rbar = [], Thetab = [], Xnext = [], Xrow = [], Phi = [];

        /// <summary>The first <paramref name="length"/> elements of <paramref name="buffer"/>, zeroed (grown when short).</summary>
        public Vector256<double>[] Get(ref Vector256<double>[] buffer, int length)
        {
            if (buffer.Length < length) buffer = new Vector256<double>[length];
            else buffer.AsSpan(0, length).Clear();
            return buffer;
        }
    }
}
