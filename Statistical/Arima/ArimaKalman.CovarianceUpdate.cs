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
    /// the 4-element blocks that changed, and the largest |Pnew|.
    /// </summary>
    /// <remarks>
    /// The maxima are taken with vmaxpd (one instruction on the loop-carried chain instead of IEEE maximum's blend
    /// sequence) and the NaNs counted aside: absolute values have no −0, so the maximum of the others is the same value,
    /// and a NaN anywhere makes the result NaN, as Math.Max and Vector.Max make it.
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
        var nan = Vector256<double>.Zero;
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
                var old = Vector256.LoadUnsafe(ref oldRef, at);
                if (!Vector256.EqualsAll(value, old))
                {
                    same = false;
                    var moved = Vector256.Abs(value - old);
                    nan |= ~Vector256.Equals(moved, moved);
                    changeVector = Vector256.MaxNative(changeVector, moved);
                }
                if (cycle && !Vector256.EqualsAll(value, Vector256.LoadUnsafe(ref beforeRef, at))) cycle = false;
                var size0 = Vector256.Abs(predicted);
                nan |= ~Vector256.Equals(size0, size0);
                scaleVector = Vector256.MaxNative(scaleVector, size0);
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
            // A NaN in either maximum's terms: both come out NaN, which fails every steady-state test, as it did.
            if (nan != Vector256<double>.Zero) return (same, cycle, double.NaN, double.NaN);
            for (int lane = 0; lane < 4; lane++)
            {
                change = Math.Max(change, changeVector.GetElement(lane));
                scale = Math.Max(scale, scaleVector.GetElement(lane));
            }
        }
        return (same, cycle, change, scale);
    }
}
