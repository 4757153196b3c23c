using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Forecast.Statistical.Ets;

internal static partial class EtsRecursions
{
    /// <summary>How many forms' recursions <see cref="RunLanes"/> takes at once: two vectors of four.</summary>
    public const int MaxLanes = 8;

    /// <summary>Whether <see cref="RunLanes"/> runs on vector hardware (elsewhere the forms pair up in scalar loops).</summary>
    public static bool VectorLanes => Vector256.IsHardwareAccelerated;

    /// <summary>One form's recursion for <see cref="RunLanes"/>: its initial states, parameters and components.</summary>
    public readonly record struct LaneInput(double[] Init, OneStep Step, int Error, int Trend, int Season);

    /// <summary>
    /// The likelihood objectives of up to <see cref="MaxLanes"/> forms of one series (no multiplicative trend, seasonal
    /// ones all of the same period), each form one lane of a vector, all stepping through the data in one loop: a
    /// form's recursion is a chain of dependent operations (about 27 cycles a step), so side by side the chains of
    /// several forms fill the processor's idle cycles. Each lane performs exactly the operations of its form's scalar
    /// recursion (<see cref="Step{TT, TS}"/>): where forms differ every variant is computed and the lane's own taken
    /// by selection, never by arithmetic, so each result is its single run's to the bit.
    /// </summary>
    public static void RunLanes(ReadOnlySpan<double> y, ReadOnlySpan<LaneInput> lanes, Span<double> results)
    {
        int count = lanes.Length;
        if (count < 1 || count > MaxLanes) throw new ArgumentOutOfRangeException(nameof(lanes));
        int m = 1;
        bool anySeason = false, anyMultSeason = false, anyMultError = false;
        foreach (var lane in lanes)
        {
            if (lane.Trend == Mult) throw new ArgumentException("A multiplicative trend cannot share a vector.", nameof(lanes));
            if (lane.Season != None)
            {
                if (anySeason && lane.Step.M != m) throw new ArgumentException("Seasonal lanes differ in period.", nameof(lanes));
                m = lane.Step.M;
                anySeason = true;
            }
            anyMultSeason |= lane.Season == Mult;
            anyMultError |= lane.Error == Mult;
        }

        // Lane k of vector v is form 4v + k; lanes beyond the forms repeat the first form and are discarded.
        int vectors = count > 4 ? 2 : 1;
        Span<double> buffer = stackalloc double[MaxLanes * 11];
        Span<double> ringBuffer = stackalloc double[MaxLanes * 24];
        ringBuffer.Clear();
        Span<long> exponents = stackalloc long[MaxLanes];
        exponents.Clear();
        for (int k = 0; k < 4 * vectors; k++)
        {
            var lane = lanes[k < count ? k : 0];
            var p = lane.Step;
            bool trended = lane.Trend != None;
            buffer[k] = lane.Init[0];
            buffer[MaxLanes + k] = trended ? lane.Init[1] : 0;
            buffer[2 * MaxLanes + k] = p.Alpha;
            buffer[3 * MaxLanes + k] = p.Beta / p.Alpha;
            buffer[4 * MaxLanes + k] = p.Gamma;
            buffer[5 * MaxLanes + k] = p.Phi;
            buffer[6 * MaxLanes + k] = Mask(lane.Trend == Add);
            buffer[7 * MaxLanes + k] = Mask(lane.Season == Add);
            buffer[8 * MaxLanes + k] = Mask(lane.Season == Mult);
            buffer[9 * MaxLanes + k] = Mask(lane.Error == Mult);
            if (lane.Season != None)
            {
                int v = k / 4, slot = k % 4;
                for (int j = 0; j < m; j++) ringBuffer[v * 4 * 24 + 4 * j + slot] = lane.Init[(trended ? 1 : 0) + j + 1];
            }
        }
        Lanes first = Lanes.Load(buffer, 0), second = vectors > 1 ? Lanes.Load(buffer, 4) : first;
        Span<double> sums = stackalloc double[MaxLanes], products = stackalloc double[MaxLanes];
        if (!anySeason) Loop<No, No>(y, anyMultError, vectors, first, second, ringBuffer, m, sums, products, exponents);
        else if (!anyMultSeason) Loop<Yes, No>(y, anyMultError, vectors, first, second, ringBuffer, m, sums, products, exponents);
        else Loop<Yes, Yes>(y, anyMultError, vectors, first, second, ringBuffer, m, sums, products, exponents);

        for (int k = 0; k < count; k++)
        {
            // Likelihood<TE>: n·log(Σe²), plus 2·Σlog|ŷ| for multiplicative errors.
            double lik = y.Length * Math.Log(sums[k]);
            if (lanes[k].Error == Mult) lik += 2 * (Math.Log(products[k]) + exponents[k] * Ln2);
            results[k] = lik;
        }
    }

    private struct Yes;
    private struct No;

    /// <summary>The loop over the data, compiled without the seasonal work (or its multiplicative part) where no lane needs it.</summary>
    private static void Loop<TSeason, TMultSeason>(ReadOnlySpan<double> y, bool multError, int vectors, in Lanes first, in Lanes second,
        Span<double> ringBuffer, int m, Span<double> sums, Span<double> products, Span<long> exponents)
        where TSeason : struct where TMultSeason : struct
    {
        if (multError)
        {
            if (vectors > 1) Loop<TSeason, TMultSeason, Yes, Yes>(y, first, second, ringBuffer, m, sums, products, exponents);
            else Loop<TSeason, TMultSeason, Yes, No>(y, first, second, ringBuffer, m, sums, products, exponents);
        }
        else
        {
            if (vectors > 1) Loop<TSeason, TMultSeason, No, Yes>(y, first, second, ringBuffer, m, sums, products, exponents);
            else Loop<TSeason, TMultSeason, No, No>(y, first, second, ringBuffer, m, sums, products, exponents);
        }
    }

    private static void Loop<TSeason, TMultSeason, TMultError, TTwo>(ReadOnlySpan<double> y, in Lanes first, in Lanes second,
        Span<double> ringBuffer, int m, Span<double> sums, Span<double> products, Span<long> exponents)
        where TSeason : struct where TMultSeason : struct where TMultError : struct where TTwo : struct
    {
        bool two = typeof(TTwo) == typeof(Yes);
        Span<double> ring1 = ringBuffer[..(4 * 24)], ring2 = ringBuffer[(4 * 24)..];
        Lanes p1 = first, p2 = second;
        Vector256<double> l1 = p1.Level, b1 = p1.Growth, l2 = p2.Level, b2 = p2.Growth;
        Vector256<double> lik1 = Vector256<double>.Zero, lik2 = Vector256<double>.Zero;
        Vector256<double> product1 = Vector256<double>.One, product2 = Vector256<double>.One;
        Vector256<long> exponent1 = Vector256<long>.Zero, exponent2 = Vector256<long>.Zero;
        int n = y.Length, head = 0;
        for (int i = 0; i < n; i++)
        {
            var yi = Vector256.Create(y[i]);
            int oldest = head == 0 ? m - 1 : head - 1;
            StepLanes<TSeason, TMultSeason, TMultError>(yi, p1, ref l1, ref b1, ref lik1, ref product1, ring1, oldest);
            if (two) StepLanes<TSeason, TMultSeason, TMultError>(yi, p2, ref l2, ref b2, ref lik2, ref product2, ring2, oldest);
            if (typeof(TMultError) == typeof(Yes))
            {
                if (!InRange(product1)) Renormalise(ref product1, ref exponent1);
                if (two && !InRange(product2)) Renormalise(ref product2, ref exponent2);
            }
            if (typeof(TSeason) == typeof(Yes)) head = oldest;
        }
        lik1.CopyTo(sums);
        lik2.CopyTo(sums[4..]);
        product1.CopyTo(products);
        product2.CopyTo(products[4..]);
        exponent1.CopyTo(exponents);
        exponent2.CopyTo(exponents[4..]);
    }

    private static double Mask(bool on) => on ? BitConverter.Int64BitsToDouble(-1L) : 0.0;

    /// <summary>Four lanes' start, parameters and component masks (all bits set where the lane has the component).</summary>
    private readonly record struct Lanes(Vector256<double> Level, Vector256<double> Growth, Vector256<double> Alpha,
        Vector256<double> BetaOverAlpha, Vector256<double> Gamma, Vector256<double> Phi, Vector256<double> AddTrend,
        Vector256<double> AddSeason, Vector256<double> MultSeason, Vector256<double> MultError)
    {
        public static Lanes Load(ReadOnlySpan<double> buffer, int offset)
        {
            return new(At(buffer, 0, offset), At(buffer, 1, offset), At(buffer, 2, offset), At(buffer, 3, offset), At(buffer, 4, offset),
                At(buffer, 5, offset), At(buffer, 6, offset), At(buffer, 7, offset), At(buffer, 8, offset), At(buffer, 9, offset));
        }

        private static Vector256<double> At(ReadOnlySpan<double> buffer, int row, int offset) =>
            Vector256.Create(buffer.Slice(row * MaxLanes + offset, 4));
    }

    /// <summary>
    /// <see cref="Step{TT, TS}"/> and the innovation's square and |ŷ| of four lanes (the ring holds four lanes' seasonal
    /// states per period position).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StepLanes<TSeason, TMultSeason, TMultError>(Vector256<double> yi, in Lanes p, ref Vector256<double> level,
        ref Vector256<double> growth, ref Vector256<double> lik, ref Vector256<double> product, Span<double> ring, int oldest)
        where TSeason : struct where TMultSeason : struct where TMultError : struct
    {
        var oldl = level;
        var oldb = growth;
        // forecast() with h = 1 and update()'s q: l + φb with an additive trend, l without.
        var phib = p.Phi * oldb;
        var q = Vector256.ConditionalSelect(p.AddTrend, oldl + phib, oldl);
        var f = q;
        var pp = yi;
        var sOld = Vector256<double>.Zero;
        if (typeof(TSeason) == typeof(Yes))
        {
            sOld = Vector256.Create(ring.Slice(4 * oldest, 4));
            f = Vector256.ConditionalSelect(p.AddSeason, q + sOld, Vector256.ConditionalSelect(p.MultSeason, q * sOld, q));
            var ppAdd = yi - sOld;
            if (typeof(TMultSeason) == typeof(Yes))
            {
                var ppMult = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(sOld), Vector256.Create(Tol)),
                    Vector256.Create(HugeN), yi / sOld);
                pp = Vector256.ConditionalSelect(p.AddSeason, ppAdd, Vector256.ConditionalSelect(p.MultSeason, ppMult, yi));
            }
            else
            {
                pp = Vector256.ConditionalSelect(p.AddSeason, ppAdd, yi);
            }
        }
        var l = q + p.Alpha * (pp - q);
        level = l;
        var r = l - oldl;
        growth = Vector256.ConditionalSelect(p.AddTrend, phib + p.BetaOverAlpha * (r - phib), oldb);
        if (typeof(TSeason) == typeof(Yes))
        {
            var t = yi - q;
            if (typeof(TMultSeason) == typeof(Yes))
            {
                var tMult = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(q), Vector256.Create(Tol)),
                    Vector256.Create(HugeN), yi / q);
                t = Vector256.ConditionalSelect(p.MultSeason, tMult, t);
            }
            (sOld + p.Gamma * (t - sOld)).CopyTo(ring.Slice(4 * oldest, 4));
        }
        var d = yi - f;
        if (typeof(TMultError) == typeof(Yes))
        {
            var e = Vector256.ConditionalSelect(p.MultError, d / f, d);
            lik += e * e;
            product *= Vector256.ConditionalSelect(p.MultError, Vector256.Abs(f), Vector256<double>.One);
        }
        else
        {
            lik += d * d;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool InRange(Vector256<double> product) =>
        Vector256.LessThanAll(product, Vector256.Create(1e150)) && Vector256.GreaterThanAll(product, Vector256.Create(1e-150));

    /// <summary>
    /// <see cref="Renormalise(ref double, ref long)"/> lane by lane without a call (a call in the loop would make the
    /// compiler keep every vector of the loop on the stack): where the product has left [1e-150, 1e150] and is finite
    /// and not 0, its binary exponent, <c>Math.ILogB</c>, moves to <paramref name="exponent"/> and the product becomes
    /// its significand in [1, 2) — exactly <c>Math.ScaleB(product, -ILogB(product))</c>; a subnormal product is first
    /// scaled by 2^64, exactly.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Renormalise(ref Vector256<double> product, ref Vector256<long> exponent)
    {
        var p = product;
        var outside = ~(Vector256.LessThan(p, Vector256.Create(1e150)) & Vector256.GreaterThan(p, Vector256.Create(1e-150)));
        var finite = Vector256.LessThanOrEqual(Vector256.Abs(p), Vector256.Create(double.MaxValue));
        var change = (outside & finite & ~Vector256.Equals(p, Vector256<double>.Zero)).AsInt64();
        var exponentMask = Vector256.Create(0x7FFL << 52);
        var subnormal = Vector256.Equals(p.AsInt64() & exponentMask, Vector256<long>.Zero);
        var scaled = Vector256.ConditionalSelect(subnormal.AsDouble(), p * Vector256.Create(18446744073709551616.0), p).AsInt64();
        var biased = Vector256.ShiftRightLogical(scaled & exponentMask, 52);
        var shift = biased - Vector256.Create(1023L) - (subnormal & Vector256.Create(64L));
        var significand = ((scaled & ~exponentMask) | Vector256.Create(1023L << 52)).AsDouble();
        product = Vector256.ConditionalSelect(change.AsDouble(), significand, p);
        exponent += shift & change;
    }
}
