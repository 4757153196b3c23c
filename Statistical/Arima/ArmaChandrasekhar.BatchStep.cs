using Forecast.Statistical.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Forecast.Statistical.Arima;

internal sealed partial class ArmaChandrasekhar
{
    /// <summary>How a lane-wise step keeps the lanes whose F has stopped moving.</summary>
    private interface ILaneUpdate
    {
        static abstract Vector256<double> Keep(Vector256<double> moving, Vector256<double> updated, Vector256<double> held);
    }

    /// <summary>Every lane moves: the updated values, as a select by an all-set mask gives them.</summary>
    private readonly struct EveryLane : ILaneUpdate
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Keep(Vector256<double> moving, Vector256<double> updated, Vector256<double> held) => updated;
    }

    /// <summary>Some lanes are held: each keeps its value.</summary>
    private readonly struct MovingLanes : ILaneUpdate
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Keep(Vector256<double> moving, Vector256<double> updated, Vector256<double> held) =>
            LaneMask.Select(moving, updated, held);
    }

    /// <summary>
    /// Throws unless every differencing index is below <paramref name="d"/>: the lane loops read the differenced states
    /// through references at these indices, without bounds checks.
    /// </summary>
    private static void CheckDifferencingIndices(int[] deltaIdx, int d)
    {
        foreach (int i in deltaIdx)
            if ((uint)i >= (uint)d) throw new ArgumentException("A differencing index outside the state.");
    }

    /// <summary>
    /// The moving part of one <see cref="Likelihood4"/> step (F, M, K and W; the single call's <see cref="StepRank3"/> or
    /// <see cref="StepRank1"/> and the M and F updates before it, lane-wise, the same operations in the same order):
    /// returns the new F. Instantiated for <see cref="EveryLane"/> — the common case, where a select by the all-set
    /// mask would only cost instructions — and for <see cref="MovingLanes"/>. The buffers are read through references
    /// without bounds checks (a step is a few hundred instructions, a quarter of them were the checks); their lengths
    /// are checked once here.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector256<double> AdvanceLanes<TUpdate>(Vector256<double>[] kBuffer, Vector256<double>[] wBuffer, Vector256<double>[] phiBuffer,
        Vector256<double>[] deltaBuffer, int[] deltaIdx, int r, int rd, Span<Vector256<double>> mm, Vector256<double> f, Vector256<double> movingMask)
        where TUpdate : struct, ILaneUpdate
    {
        int d = rd - r;
        if (r < 1 || kBuffer.Length < rd || wBuffer.Length < 3 * rd || phiBuffer.Length < r || deltaBuffer.Length < d || mm.Length < 9)
            throw new ArgumentException("No ARMA state, or lane buffers shorter than the state.");
        CheckDifferencingIndices(deltaIdx, d);
        ref var k = ref MemoryMarshal.GetArrayDataReference(kBuffer);
        ref var w0 = ref MemoryMarshal.GetArrayDataReference(wBuffer);
        ref var ph = ref MemoryMarshal.GetArrayDataReference(phiBuffer);
        ref var dv = ref MemoryMarshal.GetArrayDataReference(deltaBuffer);
        ref var m = ref MemoryMarshal.GetReference(mm);
        var zero = Vector256<double>.Zero;
        if (d == 0)
        {
            // Rank one: z = W's first element; M, F; then K and W (StepRank1).
            var z0 = w0;
            var s = zero;
            s += m * z0;
            var change = zero;
            change += z0 * s;
            var term = s * s / f;
            m = TUpdate.Keep(movingMask, m + term, m);
            var fNew = TUpdate.Keep(movingMask, f + change, f);
            var c = z0 / fNew;
            var first = w0;
            for (int i = 0; i < r; i++)
            {
                ref var wi = ref Unsafe.Add(ref w0, i);
                ref var ki = ref Unsafe.Add(ref k, i);
                var t0 = (i < r - 1 ? Unsafe.Add(ref wi, 1) : zero) + Unsafe.Add(ref ph, i) * first;
                var kNew = ki + t0 * s;
                ki = TUpdate.Keep(movingMask, kNew, ki);
                wi = TUpdate.Keep(movingMask, t0 - kNew * c, wi);
            }
            return fNew;
        }

        ref var w1 = ref Unsafe.Add(ref w0, rd);
        ref var w2 = ref Unsafe.Add(ref w0, 2 * rd);
        var za = w0;
        var zb = w1;
        var zc = w2;
        foreach (int i in deltaIdx) za += Unsafe.Add(ref dv, i) * Unsafe.Add(ref w0, r + i);
        foreach (int i in deltaIdx) zb += Unsafe.Add(ref dv, i) * Unsafe.Add(ref w1, r + i);
        foreach (int i in deltaIdx) zc += Unsafe.Add(ref dv, i) * Unsafe.Add(ref w2, r + i);
        var total = zero;
        var mz0 = zero;
        mz0 += m * za;
        mz0 += Unsafe.Add(ref m, 1) * zb;
        mz0 += Unsafe.Add(ref m, 2) * zc;
        total += za * mz0;
        var mz1 = zero;
        mz1 += Unsafe.Add(ref m, 3) * za;
        mz1 += Unsafe.Add(ref m, 4) * zb;
        mz1 += Unsafe.Add(ref m, 5) * zc;
        total += zb * mz1;
        var mz2 = zero;
        mz2 += Unsafe.Add(ref m, 6) * za;
        mz2 += Unsafe.Add(ref m, 7) * zb;
        mz2 += Unsafe.Add(ref m, 8) * zc;
        total += zc * mz2;
        // Each off-diagonal term divided once, as the single call (mz_i·mz_j / F is mz_j·mz_i / F to the bit, NaN payloads aside).
        UpdatePair<TUpdate>(ref m, 0, 0, mz0 * mz0 / f, movingMask);
        UpdatePair<TUpdate>(ref m, 0, 1, mz0 * mz1 / f, movingMask);
        UpdatePair<TUpdate>(ref m, 0, 2, mz0 * mz2 / f, movingMask);
        UpdatePair<TUpdate>(ref m, 1, 1, mz1 * mz1 / f, movingMask);
        UpdatePair<TUpdate>(ref m, 1, 2, mz1 * mz2 / f, movingMask);
        UpdatePair<TUpdate>(ref m, 2, 2, mz2 * mz2 / f, movingMask);
        var fMoved = TUpdate.Keep(movingMask, f + total, f);

        // K and W (StepRank3, lane-wise); held lanes keep theirs.
        var c0 = za / fMoved;
        var c1 = zb / fMoved;
        var c2 = zc / fMoved;
        var first0 = w0;
        var first1 = w1;
        var first2 = w2;
        for (int i = 0; i < r; i++)
        {
            var phi = Unsafe.Add(ref ph, i);
            ref var w0i = ref Unsafe.Add(ref w0, i);
            ref var w1i = ref Unsafe.Add(ref w1, i);
            ref var w2i = ref Unsafe.Add(ref w2, i);
            ref var ki = ref Unsafe.Add(ref k, i);
            bool inner = i < r - 1;
            var t0 = (inner ? Unsafe.Add(ref w0i, 1) : zero) + phi * first0;
            var t1 = (inner ? Unsafe.Add(ref w1i, 1) : zero) + phi * first1;
            var t2 = (inner ? Unsafe.Add(ref w2i, 1) : zero) + phi * first2;
            var kNew = ki + t0 * mz0 + t1 * mz1 + t2 * mz2;
            ki = TUpdate.Keep(movingMask, kNew, ki);
            w0i = TUpdate.Keep(movingMask, t0 - kNew * c0, w0i);
            w1i = TUpdate.Keep(movingMask, t1 - kNew * c1, w1i);
            w2i = TUpdate.Keep(movingMask, t2 - kNew * c2, w2i);
        }
        var prev0 = za;
        var prev1 = zb;
        var prev2 = zc;
        for (int i = r; i < rd; i++)
        {
            var t0 = prev0;
            var t1 = prev1;
            var t2 = prev2;
            ref var w0i = ref Unsafe.Add(ref w0, i);
            ref var w1i = ref Unsafe.Add(ref w1, i);
            ref var w2i = ref Unsafe.Add(ref w2, i);
            ref var ki = ref Unsafe.Add(ref k, i);
            prev0 = w0i;
            prev1 = w1i;
            prev2 = w2i;
            var kNew = ki + t0 * mz0 + t1 * mz1 + t2 * mz2;
            ki = TUpdate.Keep(movingMask, kNew, ki);
            w0i = TUpdate.Keep(movingMask, t0 - kNew * c0, w0i);
            w1i = TUpdate.Keep(movingMask, t1 - kNew * c1, w1i);
            w2i = TUpdate.Keep(movingMask, t2 - kNew * c2, w2i);
        }
        return fMoved;
    }

    /// <summary>M[i, j] and M[j, i] each plus the same term (once when i = j).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void UpdatePair<TUpdate>(ref Vector256<double> m, int i, int j, Vector256<double> term, Vector256<double> movingMask)
        where TUpdate : struct, ILaneUpdate
    {
        ref var ij = ref Unsafe.Add(ref m, i * 3 + j);
        ij = TUpdate.Keep(movingMask, ij + term, ij);
        if (j == i) return;
        ref var ji = ref Unsafe.Add(ref m, j * 3 + i);
        ji = TUpdate.Keep(movingMask, ji + term, ji);
    }
}
