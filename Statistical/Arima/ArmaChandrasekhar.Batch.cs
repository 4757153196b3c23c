using System.Runtime.Intrinsics;

namespace Forecast.Statistical.Arima;

internal sealed partial class ArmaChandrasekhar
{
    /// <summary>
    /// <see cref="Likelihood"/> for four models of the same orders at once (a numerical gradient's evaluations), one
    /// vector lane each: every lane performs the single call's operations in its order (multiplications and additions
    /// kept apart, no fused multiply-add; a zero AR coefficient adds 0·a₀, which changes no value), so each result is
    /// the single call's to the bit. Needs d &gt; 0 (the rank-three start); <paramref name="starts"/> hold each lane's
    /// <see cref="TryStart"/> (buffers and the 3 × 3 factor in <paramref name="mms"/>, F in <paramref name="fs"/>).
    /// Lanes past <paramref name="lanes"/> repeat lane 0 and are ignored.
    /// </summary>
    internal static void Likelihood4(double[][] ys, ArimaStateSpace model, ArmaChandrasekhar[] starts, double[][] mms, double[] fs, int lanes,
        (double Ssq, double SumLog, int Count)[] results)
    {
        var delta = model.Delta;
        int r = model.R, d = delta.Length, rd = r + d, n = ys[0].Length;
        var deltaIdx = starts[0].DeltaIndices;
        int L(int lane) => lane < lanes ? lane : 0;
        var y0 = ys[L(0)];
        var y1 = ys[L(1)];
        var y2 = ys[L(2)];
        var y3 = ys[L(3)];
        Vector256<double> Gather(Func<int, double> value) => Vector256.Create(value(L(0)), value(L(1)), value(L(2)), value(L(3)));

        var a = new Vector256<double>[rd];
        var k = new Vector256<double>[rd];
        var w = new Vector256<double>[3 * rd];
        var phiPad = new Vector256<double>[r];
        for (int i = 0; i < rd; i++)
        {
            k[i] = Gather(l => starts[l].K[i]);
            a[i] = Vector256<double>.Zero;
        }
        for (int i = 0; i < 3 * rd; i++) w[i] = Gather(l => starts[l].W[i]);
        for (int i = 0; i < r; i++) phiPad[i] = Gather(l => starts[l].PhiPadded[i]);
        Span<Vector256<double>> mm = stackalloc Vector256<double>[9];
        for (int i = 0; i < 9; i++) mm[i] = Gather(l => mms[l][i]);
        var f = Gather(l => fs[l]);
        var deltaV = new Vector256<double>[d];
        for (int i = 0; i < d; i++) deltaV[i] = Vector256.Create(delta[i]);

        Span<bool> moving = stackalloc bool[4];
        moving.Fill(true);
        Span<double> logF = stackalloc double[4];
        Span<double> ssq = stackalloc double[4];
        Span<double> sumlog = stackalloc double[4];
        Span<int> nu = stackalloc int[4];
        ssq.Clear();
        sumlog.Clear();
        nu.Clear();
        logF.Clear();
        var movingMask = Vector256<double>.AllBitsSet;
        Span<Vector256<double>> z = stackalloc Vector256<double>[3];
        Span<Vector256<double>> mz = stackalloc Vector256<double>[3];
        Span<Vector256<double>> g = stackalloc Vector256<double>[9];
        Span<Vector256<double>> h = stackalloc Vector256<double>[9];
        bool anyMoving = true;
        var limit = Vector256.Create(1e4);
        for (int t = 0; t < n; t++)
        {
            var v = Vector256.Create(y0[t], y1[t], y2[t], y3[t]) - a[0];
            foreach (int i in deltaIdx) v -= deltaV[i] * a[r + i];
            var included = Vector256.LessThan(f, limit);
            var terms = v * v / f;
            for (int lane = 0; lane < 4; lane++)
            {
                if (included.GetElement(lane) == 0) continue;
                nu[lane]++;
                ssq[lane] += terms.GetElement(lane);
                sumlog[lane] += moving[lane] ? Math.Log(f.GetElement(lane)) : logF[lane];
            }
            // a ← T a + K v / F.
            var scale = v / f;
            var a0 = a[0];
            var diffState = a0;
            foreach (int i in deltaIdx) diffState += deltaV[i] * a[r + i];
            for (int i = 0; i < r - 1; i++) a[i] = a[i + 1] + k[i] * scale;
            a[r - 1] = k[r - 1] * scale;
            for (int i = 0; i < model.Phi.Length; i++) a[i] += phiPad[i] * a0;
            for (int i = rd - 1; i > r; i--) a[i] = a[i - 1] + k[i] * scale;
            a[r] = diffState + k[r] * scale;
            if (!anyMoving) continue;

            for (int j = 0; j < 3; j++)
            {
                int off = j * rd;
                var zj = w[off];
                foreach (int i in deltaIdx) zj += deltaV[i] * w[off + r + i];
                z[j] = zj;
            }
            var change = Vector256<double>.Zero;
            for (int i = 0; i < 3; i++)
            {
                var s = Vector256<double>.Zero;
                for (int j = 0; j < 3; j++) s += mm[i * 3 + j] * z[j];
                mz[i] = s;
                change += z[i] * s;
            }
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++) mm[i * 3 + j] = Vector256.ConditionalSelect(movingMask, mm[i * 3 + j] + mz[i] * mz[j] / f, mm[i * 3 + j]);
            f = Vector256.ConditionalSelect(movingMask, f + change, f);
            // K and W (StepRank3, lane-wise); held lanes keep theirs.
            var c0 = z[0] / f;
            var c1 = z[1] / f;
            var c2 = z[2] / f;
            var first0 = w[0];
            var first1 = w[rd];
            var first2 = w[2 * rd];
            var zero = Vector256<double>.Zero;
            var mz0 = mz[0];
            var mz1 = mz[1];
            var mz2 = mz[2];
            for (int i = 0; i < r; i++)
            {
                var ph = phiPad[i];
                var t0 = (i < r - 1 ? w[i + 1] : zero) + ph * first0;
                var t1 = (i < r - 1 ? w[rd + i + 1] : zero) + ph * first1;
                var t2 = (i < r - 1 ? w[2 * rd + i + 1] : zero) + ph * first2;
                var ki = k[i] + t0 * mz0 + t1 * mz1 + t2 * mz2;
                k[i] = Vector256.ConditionalSelect(movingMask, ki, k[i]);
                w[i] = Vector256.ConditionalSelect(movingMask, t0 - ki * c0, w[i]);
                w[rd + i] = Vector256.ConditionalSelect(movingMask, t1 - ki * c1, w[rd + i]);
                w[2 * rd + i] = Vector256.ConditionalSelect(movingMask, t2 - ki * c2, w[2 * rd + i]);
            }
            var prev0 = z[0];
            var prev1 = z[1];
            var prev2 = z[2];
            for (int i = r; i < rd; i++)
            {
                var t0 = prev0;
                var t1 = prev1;
                var t2 = prev2;
                prev0 = w[i];
                prev1 = w[rd + i];
                prev2 = w[2 * rd + i];
                var ki = k[i] + t0 * mz0 + t1 * mz1 + t2 * mz2;
                k[i] = Vector256.ConditionalSelect(movingMask, ki, k[i]);
                w[i] = Vector256.ConditionalSelect(movingMask, t0 - ki * c0, w[i]);
                w[rd + i] = Vector256.ConditionalSelect(movingMask, t1 - ki * c1, w[rd + i]);
                w[2 * rd + i] = Vector256.ConditionalSelect(movingMask, t2 - ki * c2, w[2 * rd + i]);
            }

            if (t >= d && (t & 7) == 7)
            {
                for (int a1 = 0; a1 < 3; a1++)
                    for (int b1 = 0; b1 <= a1; b1++)
                    {
                        var sum = Vector256<double>.Zero;
                        int oa = a1 * rd, ob = b1 * rd;
                        for (int i = 0; i < rd; i++) sum += w[oa + i] * w[ob + i];
                        g[a1 * 3 + b1] = g[b1 * 3 + a1] = sum;
                    }
                for (int a1 = 0; a1 < 3; a1++)
                    for (int b1 = 0; b1 < 3; b1++)
                    {
                        var sum = Vector256<double>.Zero;
                        for (int c3 = 0; c3 < 3; c3++) sum += mm[a1 * 3 + c3] * g[c3 * 3 + b1];
                        h[a1 * 3 + b1] = sum;
                    }
                var trace = Vector256<double>.Zero;
                for (int a1 = 0; a1 < 3; a1++)
                    for (int b1 = 0; b1 < 3; b1++) trace += h[a1 * 3 + b1] * h[b1 * 3 + a1];
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
            }
        }
        for (int lane = 0; lane < lanes; lane++) results[lane] = (ssq[lane], sumlog[lane], nu[lane]);
    }
}
