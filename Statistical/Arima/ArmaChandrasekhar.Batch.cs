using Forecast.Statistical.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Forecast.Statistical.Arima;

internal sealed partial class ArmaChandrasekhar
{
    /// <summary>
    /// <see cref="Likelihood"/> for four models of the same orders at once (a numerical gradient's evaluations), one
    /// vector lane each: every lane performs the single call's operations in its order (multiplications and additions
    /// kept apart, no fused multiply-add; a zero AR coefficient adds 0·a₀, which changes no value), so each result is
    /// the single call's to the bit. With differencing the rank-three start, without it the rank-one one; <paramref name="starts"/> hold each lane's
    /// <see cref="TryStart"/> (buffers and the 3 × 3 factor in <paramref name="mms"/>, F in <paramref name="fs"/>).
    /// Lanes past <paramref name="lanes"/> repeat lane 0 and are ignored.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Likelihood4(double[][] ys, ArimaStateSpace model, ArmaChandrasekhar[] starts, double[][] mms, double[] fs, int lanes,
        (double Ssq, double SumLog, int Count)[] results)
    {
        var delta = model.Delta;
        int r = model.R, d = delta.Length, rd = r + d, n = ys[0].Length;
        int rank = d > 0 ? 3 : 1;
        var deltaIdx = starts[0].DeltaIndices;
        int l1 = lanes > 1 ? 1 : 0, l2 = lanes > 2 ? 2 : 0, l3 = lanes > 3 ? 3 : 0;
        var y0 = ys[0];
        var y1 = ys[l1];
        var y2 = ys[l2];
        var y3 = ys[l3];
        static Vector256<double> Gather(double[] v0, double[] v1, double[] v2, double[] v3, int i) => Vector256.Create(v0[i], v1[i], v2[i], v3[i]);

        // The lanes' vectors, kept per thread between calls (a gradient's evaluations call this again and again).
        var scratch = lanesScratch ??= new LanesScratch();
        if (scratch.A.Length < rd) scratch.A = new Vector256<double>[rd];
        if (scratch.K.Length < rd) scratch.K = new Vector256<double>[rd];
        if (scratch.W.Length < 3 * rd) scratch.W = new Vector256<double>[3 * rd];
        if (scratch.PhiPad.Length < r) scratch.PhiPad = new Vector256<double>[r];
        if (scratch.Delta.Length < d) scratch.Delta = new Vector256<double>[d];
        if (scratch.LogArgs.Length < n) (scratch.LogArgs, scratch.Added, scratch.Moving) = (new Vector256<double>[n], new Vector256<double>[n], new Vector256<double>[n]);
        var a = scratch.A;
        var k = scratch.K;
        var w = scratch.W;
        var phiPad = scratch.PhiPad;
        var deltaV = scratch.Delta;
        var (s0, s1, s2, s3) = (starts[0], starts[l1], starts[l2], starts[l3]);
        for (int i = 0; i < rd; i++)
        {
            k[i] = Gather(s0.K, s1.K, s2.K, s3.K, i);
            a[i] = Vector256<double>.Zero;
        }
        for (int i = 0; i < 3 * rd; i++) w[i] = Gather(s0.W, s1.W, s2.W, s3.W, i);
        for (int i = 0; i < r; i++) phiPad[i] = Gather(s0.PhiPadded, s1.PhiPadded, s2.PhiPadded, s3.PhiPadded, i);
        Span<Vector256<double>> mm = stackalloc Vector256<double>[9];
        for (int i = 0; i < 9; i++) mm[i] = Gather(mms[0], mms[l1], mms[l2], mms[l3], i);
        var f = Vector256.Create(fs[0], fs[l1], fs[l2], fs[l3]);
        for (int i = 0; i < d; i++) deltaV[i] = Vector256.Create(delta[i]);

        Span<bool> moving = stackalloc bool[4];
        moving.Fill(true);
        Span<double> logF = stackalloc double[4];
        logF.Clear();
        // While any lane's F still moves, each step's F, included-lanes mask and moving mask are recorded, and the logs
        // are taken and summed after the steps (SumLogs): a libm call inside the step would make the JIT spill every
        // live vector around it, four times a step.
        var logArgs = scratch.LogArgs;
        var added = scratch.Added;
        var movingAt = scratch.Moving;
        var movingMask = Vector256<double>.AllBitsSet;
        Span<Vector256<double>> g = stackalloc Vector256<double>[9];
        Span<Vector256<double>> h = stackalloc Vector256<double>[9];
        bool anyMoving = true;
        bool allMoving = true;
        var limit = Vector256.Create(1e4);
        var ssqV = Vector256<double>.Zero;
        var sumlogV = Vector256<double>.Zero;
        var nuV = Vector256<long>.Zero;
        var logFV = Vector256<double>.Zero;
        // The step's state update reads and writes the lanes' buffers through references, without bounds checks (they
        // were most of its instructions): every index below stays within the lengths checked here.
        int p = model.Phi.Length;
        if (r < 1 || p > r || a.Length < rd || k.Length < rd || phiPad.Length < r || deltaV.Length < d || logArgs.Length < n
            || y0.Length < n || y1.Length < n || y2.Length < n || y3.Length < n)
            throw new ArgumentException("The lanes' buffers are shorter than the state or the series.");
        CheckDifferencingIndices(deltaIdx, d);
        ref var aRef = ref MemoryMarshal.GetArrayDataReference(a);
        ref var kRef = ref MemoryMarshal.GetArrayDataReference(k);
        ref var phiRef = ref MemoryMarshal.GetArrayDataReference(phiPad);
        ref var deltaRef = ref MemoryMarshal.GetArrayDataReference(deltaV);
        ref var diffRef = ref Unsafe.Add(ref aRef, r);
        ref var y0Ref = ref MemoryMarshal.GetArrayDataReference(y0);
        ref var y1Ref = ref MemoryMarshal.GetArrayDataReference(y1);
        ref var y2Ref = ref MemoryMarshal.GetArrayDataReference(y2);
        ref var y3Ref = ref MemoryMarshal.GetArrayDataReference(y3);
        for (int t = 0; t < n; t++)
        {
            var v = Vector256.Create(Unsafe.Add(ref y0Ref, t), Unsafe.Add(ref y1Ref, t), Unsafe.Add(ref y2Ref, t), Unsafe.Add(ref y3Ref, t)) - aRef;
            foreach (int i in deltaIdx) v -= Unsafe.Add(ref deltaRef, i) * Unsafe.Add(ref diffRef, i);
            // The sums of the lanes whose F is below 1e4, each added as the single call adds it (an excluded lane keeps its sums).
            var included = Vector256.LessThan(f, limit);
            var terms = v * v / f;
            ssqV = LaneMask.Select(included, ssqV + terms, ssqV);
            nuV -= included.AsInt64();
            if (anyMoving)
            {
                logArgs[t] = f;
                added[t] = included;
                movingAt[t] = movingMask;
            }
            else
            {
                sumlogV = LaneMask.Select(included, sumlogV + logFV, sumlogV);
            }
            // a ← T a + K v / F.
            var scale = v / f;
            var a0 = aRef;
            var diffState = a0;
            foreach (int i in deltaIdx) diffState += Unsafe.Add(ref deltaRef, i) * Unsafe.Add(ref diffRef, i);
            for (int i = 0; i < r - 1; i++) Unsafe.Add(ref aRef, i) = Unsafe.Add(ref aRef, i + 1) + Unsafe.Add(ref kRef, i) * scale;
            Unsafe.Add(ref aRef, r - 1) = Unsafe.Add(ref kRef, r - 1) * scale;
            for (int i = 0; i < p; i++) Unsafe.Add(ref aRef, i) += Unsafe.Add(ref phiRef, i) * a0;
            if (d > 0)
            {
                for (int i = rd - 1; i > r; i--) Unsafe.Add(ref aRef, i) = Unsafe.Add(ref aRef, i - 1) + Unsafe.Add(ref kRef, i) * scale;
                diffRef = diffState + Unsafe.Add(ref kRef, r) * scale;
            }
            if (!anyMoving) continue;

            f = allMoving
                ? AdvanceLanes<EveryLane>(k, w, phiPad, deltaV, deltaIdx, r, rd, mm, f, movingMask)
                : AdvanceLanes<MovingLanes>(k, w, phiPad, deltaV, deltaIdx, r, rd, mm, f, movingMask);

            if (t >= d && (t & 7) == 7)
            {
                for (int a1 = 0; a1 < rank; a1++)
                    for (int b1 = 0; b1 <= a1; b1++)
                    {
                        var sum = Vector256<double>.Zero;
                        int oa = a1 * rd, ob = b1 * rd;
                        for (int i = 0; i < rd; i++) sum += w[oa + i] * w[ob + i];
                        g[a1 * 3 + b1] = g[b1 * 3 + a1] = sum;
                    }
                for (int a1 = 0; a1 < rank; a1++)
                    for (int b1 = 0; b1 < rank; b1++)
                    {
                        var sum = Vector256<double>.Zero;
                        for (int c3 = 0; c3 < rank; c3++) sum += mm[a1 * 3 + c3] * g[c3 * 3 + b1];
                        h[a1 * 3 + b1] = sum;
                    }
                var trace = Vector256<double>.Zero;
                for (int a1 = 0; a1 < rank; a1++)
                    for (int b1 = 0; b1 < rank; b1++) trace += h[a1 * 3 + b1] * h[b1 * 3 + a1];
                anyMoving = false;
                for (int lane = 0; lane < 4; lane++)
                {
                    if (moving[lane] && Math.Abs(trace.GetElement(lane)) <= 1e-30 * f.GetElement(lane) * f.GetElement(lane))
                    {
                        moving[lane] = false;
                        logF[lane] = Math.Log(f.GetElement(lane));
                    }
                    anyMoving |= moving[lane];
                }
                movingMask = Vector256.Create(moving[0] ? -1L : 0L, moving[1] ? -1L : 0L, moving[2] ? -1L : 0L, moving[3] ? -1L : 0L).AsDouble();
                allMoving = moving[0] && moving[1] && moving[2] && moving[3];
                logFV = Vector256.Create(logF[0], logF[1], logF[2], logF[3]);
                if (!anyMoving) sumlogV = SumLogs(logArgs, added, movingAt, t + 1, logF, lanes);
            }
        }
        if (anyMoving) sumlogV = SumLogs(logArgs, added, movingAt, n, logF, lanes);
        for (int lane = 0; lane < lanes; lane++) results[lane] = (ssqV.GetElement(lane), sumlogV.GetElement(lane), (int)nuV.GetElement(lane));
    }

    /// <summary>
    /// The sums of log F over the first <paramref name="steps"/> steps, lane by lane, as the step loop would have made
    /// them: at each step whose lane was included, log F while the lane's F moved, else the log it settled at
    /// (<paramref name="logF"/>, fixed once a lane stops); the same additions in the same order, so the same bits. Lanes
    /// past <paramref name="lanes"/> (repeats of lane 0) are left at zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Vector256<double> SumLogs(Vector256<double>[] logArgs, Vector256<double>[] added, Vector256<double>[] movingAt, int steps,
        ReadOnlySpan<double> logF, int lanes)
    {
        Span<double> sums = stackalloc double[4];
        sums.Clear();
        for (int lane = 0; lane < lanes; lane++)
        {
            double sum = 0;
            for (int t = 0; t < steps; t++)
            {
                if (added[t].AsInt64().GetElement(lane) == 0) continue;
                sum += movingAt[t].AsInt64().GetElement(lane) != 0 ? Math.Log(logArgs[t].GetElement(lane)) : logF[lane];
            }
            sums[lane] = sum;
        }
        return Vector256.Create(sums[0], sums[1], sums[2], sums[3]);
    }

    [ThreadStatic] private static LanesScratch? lanesScratch;

    private sealed class LanesScratch
    {
        public Vector256<double>[] A = [], K = [], W = [], PhiPad = [], Delta = [];
        public Vector256<double>[] LogArgs = [], Added = [], Moving = [];
    }
}
