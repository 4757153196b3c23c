using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Forecast.Statistical.Arima;

internal static partial class ArimaKalman
{
    /// <summary>
    /// ARIMA_Like's covariance update, P[i, j] = Pnew[i, j] − M[i] M[j] / gain (R's operations, lane by lane), into
    /// <paramref name="next"/>, with <see cref="Likelihood"/>'s steady-state tests: whether P equals
    /// <paramref name="pm"/> (and <paramref name="before"/> when <paramref name="cycle"/>), the largest |P − pm| over
    /// every element (unchanged ones add +0), and the largest |Pnew|.
    /// </summary>
    /// <remarks>
    /// The maxima are taken with vmaxpd (one instruction on the loop-carried chain instead of IEEE maximum's blend
    /// sequence): absolute values have no −0, so the maximum of the others is the same value, and a NaN anywhere makes
    /// the result NaN, as Math.Max and Vector.Max make it. The vector rows take |P − pm| of every lane without R's
    /// comparison first (a lane that did not change adds +0 to the maximum; x − y is ±0 only when x == y) and see a NaN
    /// through their sum; only then are the tests made again element by element. A NaN in Pnew gives one in P.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (bool Same, bool Cycle, double Change, double Scale) UpdateCovariance(double[] pnew, double[] mv, double gain, double[] pm,
        double[] before, double[] next, int rd, bool cycle)
    {
        int size = rd * rd;
        if (pnew.Length < size || pm.Length < size || before.Length < size || next.Length < size || mv.Length < rd)
            throw new ArgumentException("The covariance buffers are shorter than the state's.");
        bool same = true;
        double change = 0, scale = 0;
        var changeVector = Vector256<double>.Zero;
        var scaleVector = Vector256<double>.Zero;
        var probe = Vector256<double>.Zero;
        var gainVector = Vector256.Create(gain);
        ref double predictedRef = ref MemoryMarshal.GetArrayDataReference(pnew);
        ref double oldRef = ref MemoryMarshal.GetArrayDataReference(pm);
        ref double beforeRef = ref MemoryMarshal.GetArrayDataReference(before);
        ref double nextRef = ref MemoryMarshal.GetArrayDataReference(next);
        ref double mRef = ref MemoryMarshal.GetArrayDataReference(mv);
        int blocked = Vector256.IsHardwareAccelerated ? rd & ~3 : 0;
        for (int j = 0; j < rd; j++)
        {
            double mj = mv[j];
            var mjVector = Vector256.Create(mj);
            int col = j * rd;
            for (int i = 0; i < blocked; i += 4)
            {
                nuint at = (nuint)(col + i);
                var predicted = Vector256.LoadUnsafe(ref predictedRef, at);
                var value = predicted - Vector256.LoadUnsafe(ref mRef, (nuint)i) * mjVector / gainVector;
                // |P − pm| for every lane, changed or not (an unchanged lane gives +0, which moves no maximum); their
                // sum is NaN exactly when one of them is (the terms are ≥ 0, so no ∞ − ∞).
                var moved = Vector256.Abs(value - Vector256.LoadUnsafe(ref oldRef, at));
                probe += moved;
                changeVector = Vector256.MaxNative(changeVector, moved);
                if (cycle && !Vector256.EqualsAll(value, Vector256.LoadUnsafe(ref beforeRef, at))) cycle = false;
                scaleVector = Vector256.MaxNative(scaleVector, Vector256.Abs(predicted));
                value.StoreUnsafe(ref nextRef, at);
            }
            for (int i = blocked; i < rd; i++)
            {
                double value = pnew[i + col] - mv[i] * mj / gain;
                double old = pm[i + col];
                if (value != old)
                {
                    same = false;
                    change = Math.Max(change, Math.Abs(value - old));
                }
                if (value != before[i + col]) cycle = false;
                scale = Math.Max(scale, Math.Abs(pnew[i + col]));
                next[i + col] = value;
            }
        }
        if (blocked > 0)
        {
            // A NaN among the lanes' |P − pm| (a NaN in P or pm, or ∞ met by ∞, which R counts unchanged): the tests
            // again as R's comparisons make them, from the stored P (rare: a NaN fails every steady-state test).
            if (!Vector256.EqualsAll(probe, probe))
            {
                var exact = ExactTests(pnew, pm, next, rd, blocked, same, change, scale);
                return (exact.Same, cycle, exact.Change, exact.Scale);
            }
            for (int lane = 0; lane < 4; lane++)
            {
                change = Math.Max(change, changeVector.GetElement(lane));
                scale = Math.Max(scale, scaleVector.GetElement(lane));
                // A lane with a nonzero |P − pm| changed (x − y is ±0 only for x == y).
                if (changeVector.GetElement(lane) != 0) same = false;
            }
        }
        return (same, cycle, change, scale);
    }

    /// <summary>
    /// <see cref="UpdateCovariance"/>'s tests over its vector rows (0 .. <paramref name="blocked"/>) from the stored P,
    /// element by element as R compares them, merged with the other rows' (<paramref name="same"/>,
    /// <paramref name="change"/>, <paramref name="scale"/>): NaN maxima when a term is NaN.
    /// </summary>
    private static (bool Same, double Change, double Scale) ExactTests(double[] pnew, double[] pm, double[] next, int rd, int blocked,
        bool same, double change, double scale)
    {
        bool nan = false;
        for (int j = 0; j < rd; j++)
        {
            int col = j * rd;
            for (int i = 0; i < blocked; i++)
            {
                double value = next[i + col], old = pm[i + col], size = Math.Abs(pnew[i + col]);
                if (value != old)
                {
                    same = false;
                    double moved = Math.Abs(value - old);
                    nan |= double.IsNaN(moved);
                    change = Math.Max(change, moved);
                }
                nan |= double.IsNaN(size);
                scale = Math.Max(scale, size);
            }
        }
        return nan ? (same, double.NaN, double.NaN) : (same, change, scale);
    }
}
