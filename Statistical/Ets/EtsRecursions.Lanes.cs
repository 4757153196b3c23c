using Forecast.Statistical.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Forecast.Statistical.Ets;

internal static partial class EtsRecursions
{
    /// <summary>How many forms' recursions a <see cref="LaneBatch"/> takes at once: four vectors of four.</summary>
    public const int MaxLanes = 16;

    /// <summary>Whether a <see cref="LaneBatch"/> runs on vector hardware (elsewhere the forms pair up in scalar loops).</summary>
    public static bool VectorLanes => Vector256.IsHardwareAccelerated;

    /// <summary>One lane's smoothing parameters (the initial states and components come with <see cref="LaneBatch.Add"/>).</summary>
    public readonly record struct LaneParameters(double Alpha, double Beta, double Gamma, double Phi);

    /// <summary>The calling thread's <see cref="LaneBatch"/>, empty (<see cref="LaneBatch.Clear"/>).</summary>
    public static LaneBatch Batch()
    {
        var batch = t_batch ??= new LaneBatch();
        batch.Clear();
        return batch;
    }

    [ThreadStatic]
    private static LaneBatch? t_batch;

    /// <summary>
    /// The likelihood objectives of up to <see cref="MaxLanes"/> forms of one series (no multiplicative trend, seasonal
    /// ones all of the same period), each form one lane of a vector, all stepping through the data in one loop: a
    /// form's recursion is a chain of dependent operations (about 27 cycles a step), so side by side the chains of
    /// several forms fill the processor's idle cycles. Each lane performs exactly the operations of its form's scalar
    /// recursion (<see cref="Step{TT, TS}"/>): where forms differ every variant is computed and the lane's own taken
    /// by selection, never by arithmetic, so each result is its single run's to the bit. A vector computes only the
    /// variants its own lanes need (no divisions where none of its lanes has a multiplicative error or season), so the
    /// caller gains by putting forms of the same kind into the same vector (four consecutive lanes).
    /// Each <see cref="Add"/> writes its lane straight into the loop's arrays (kept per thread, reused by every pass):
    /// a pass of a short series is a few hundred cycles of loop, and copying each lane's inputs through a structure
    /// holding an array reference (a write barrier and a block copy per lane) cost a tenth of a yearly fit.
    /// </summary>
    public sealed class LaneBatch
    {
        // Row r of lane k at r·MaxLanes + k: level, growth, α, β/α, γ, φ, then the component masks (additive trend,
        // additive season, multiplicative season, multiplicative error).
        private readonly double[] _buffer = new double[MaxLanes * 10];
        // Vector v's seasonal states at v·96 + 4j + slot (j < m).
        private readonly double[] _ring = new double[MaxLanes * 24];
        private readonly int[] _kinds = new int[4];
        private readonly bool[] _seasonal = new bool[MaxLanes];
        private readonly bool[] _multError = new bool[MaxLanes];
        private readonly double[] _sums = new double[MaxLanes];
        private readonly double[] _products = new double[MaxLanes];
        private readonly long[] _exponents = new long[MaxLanes];
        private int _m = 1;
        private bool _anySeason;

        /// <summary>How many lanes are in the batch.</summary>
        public int Count { get; private set; }

        /// <summary>Empties the batch.</summary>
        public void Clear()
        {
            Count = 0;
            _m = 1;
            _anySeason = false;
            Array.Clear(_kinds);
        }

        /// <summary>
        /// Adds one form's recursion as the next lane: its initial states (level, growth if trended, then the seasonal
        /// states, the newest first), parameters, period <paramref name="m"/> and components.
        /// </summary>
        public void Add(ReadOnlySpan<double> init, in LaneParameters p, int m, int error, int trend, int season)
        {
            int k = Count;
            if (k >= MaxLanes) throw new InvalidOperationException("A lane batch holds at most " + MaxLanes + " lanes.");
            if (trend == Mult) throw new ArgumentException("A multiplicative trend cannot share a vector.", nameof(trend));
            if (season != None)
            {
                if (_anySeason && m != _m) throw new ArgumentException("Seasonal lanes differ in period.", nameof(m));
                _m = m;
                _anySeason = true;
            }
            var buffer = _buffer;
            bool trended = trend != None;
            buffer[k] = init[0];
            buffer[MaxLanes + k] = trended ? init[1] : 0;
            buffer[2 * MaxLanes + k] = p.Alpha;
            buffer[3 * MaxLanes + k] = p.Beta / p.Alpha;
            buffer[4 * MaxLanes + k] = p.Gamma;
            buffer[5 * MaxLanes + k] = p.Phi;
            buffer[6 * MaxLanes + k] = Mask(trend == EtsRecursions.Add);
            buffer[7 * MaxLanes + k] = Mask(season == EtsRecursions.Add);
            buffer[8 * MaxLanes + k] = Mask(season == Mult);
            buffer[9 * MaxLanes + k] = Mask(error == Mult);
            int v = k / 4, slot = k % 4;
            _seasonal[k] = season != None;
            _multError[k] = error == Mult;
            if (season != None)
            {
                var ring = _ring;
                for (int j = 0; j < m; j++) ring[v * 4 * 24 + 4 * j + slot] = init[(trended ? 1 : 0) + j + 1];
                _kinds[v] |= season == Mult ? SeasonalKind | MultSeasonKind : SeasonalKind | AddSeasonKind;
            }
            else _kinds[v] |= NoSeasonKind;
            _kinds[v] |= error == Mult ? MultErrorKind : AddErrorKind;
            _kinds[v] |= trended ? TrendKind : FlatKind;
            Count = k + 1;
        }

        /// <summary>Runs the batch's lanes over <paramref name="y"/>: results[k] the objective of lane k.</summary>
        public void Run(ReadOnlySpan<double> y, Span<double> results)
        {
            int count = Count;
            if (count < 1) throw new InvalidOperationException("The lane batch is empty.");
            int m = _anySeason ? _m : 1;
            // Lane k of vector v is form 4v + k; lanes beyond the forms repeat the vector's first form and are discarded.
            int vectors = (count + 3) / 4;
            var buffer = _buffer;
            var ring = _ring;
            for (int k = count; k < 4 * vectors; k++)
            {
                int first = k & ~3;
                for (int row = 0; row < 10; row++) buffer[row * MaxLanes + k] = buffer[row * MaxLanes + first];
                _seasonal[k] = _seasonal[first];
            }
            if (_anySeason)
            {
                // A lane without a season reads zeros where the seasonal states would be (discarded by its selections).
                for (int k = 0; k < 4 * vectors; k++)
                {
                    int v = k / 4, slot = k % 4;
                    if (k >= count && _seasonal[k])
                        for (int j = 0; j < m; j++) ring[v * 4 * 24 + 4 * j + slot] = ring[v * 4 * 24 + 4 * j];
                    else if (!_seasonal[k])
                        for (int j = 0; j < m; j++) ring[v * 4 * 24 + 4 * j + slot] = 0;
                }
            }
            Span<double> sums = _sums, products = _products;
            Span<long> exponents = _exponents;
            // The loop's accumulators start here (the loop keeps them in these arrays).
            sums.Clear();
            products.Fill(1.0);
            exponents.Clear();
            var state = new LoopState(buffer, ring, _kinds, m, sums, products, exponents);
            switch (vectors, _anySeason)
            {
                case (1, false): Loop<No, One>(y, ref state); break;
                case (2, false): Loop<No, Two>(y, ref state); break;
                case (3, false): Loop<No, Three>(y, ref state); break;
                case (4, false): Loop<No, Four>(y, ref state); break;
                case (1, true): Loop<Yes, One>(y, ref state); break;
                case (2, true): Loop<Yes, Two>(y, ref state); break;
                case (3, true): Loop<Yes, Three>(y, ref state); break;
                default: Loop<Yes, Four>(y, ref state); break;
            }

            for (int k = 0; k < count; k++)
            {
                // Likelihood<TE>: n·log(Σe²), plus 2·Σlog|ŷ| for multiplicative errors.
                double lik = y.Length * Math.Log(sums[k]);
                if (_multError[k]) lik += 2 * (Math.Log(products[k]) + exponents[k] * Ln2);
                results[k] = lik;
            }
        }
    }

    // What a vector's lanes have: a flag is set when at least one lane has it (so a vector whose lanes all have a
    // multiplicative season has MultSeasonKind without AddSeasonKind and NoSeasonKind).
    private const int SeasonalKind = 1, MultSeasonKind = 2, MultErrorKind = 4, TrendKind = 8, FlatKind = 16;
    private const int AddSeasonKind = 32, NoSeasonKind = 64, AddErrorKind = 128;

    private struct Yes;
    private struct No;
    private struct One;
    private struct Two;
    private struct Three;
    private struct Four;

    /// <summary>What <see cref="Loop{TSeason, TCount}"/> reads and writes.</summary>
    private readonly ref struct LoopState(Span<double> buffer, Span<double> ring, Span<int> kinds, int m, Span<double> sums,
        Span<double> products, Span<long> exponents)
    {
        public readonly Span<double> Buffer = buffer, Ring = ring, Sums = sums, Products = products;
        public readonly Span<int> Kinds = kinds;
        public readonly Span<long> Exponents = exponents;
        public readonly int M = m;
    }

    /// <summary>
    /// The loop over the data for one to four vectors (<typeparamref name="TCount"/>), compiled without the seasonal work
    /// where no lane needs it; each vector skips the variants (seasonal, multiplicative season, multiplicative error) none
    /// of its lanes has — tests of loop-invariant flags, which the processor predicts.
    /// </summary>
    private static void Loop<TSeason, TCount>(ReadOnlySpan<double> y, ref LoopState state)
        where TSeason : struct where TCount : struct
    {
        bool two = typeof(TCount) != typeof(One);
        bool three = typeof(TCount) == typeof(Three) || typeof(TCount) == typeof(Four);
        bool four = typeof(TCount) == typeof(Four);
        Span<double> ring = state.Ring;
        Span<double> ring1 = ring[..96], ring2 = ring[96..192], ring3 = ring[192..288], ring4 = ring[288..];
        Lanes p1 = Lanes.Load(state.Buffer, 0);
        Lanes p2 = two ? Lanes.Load(state.Buffer, 4) : p1;
        Lanes p3 = three ? Lanes.Load(state.Buffer, 8) : p1;
        Lanes p4 = four ? Lanes.Load(state.Buffer, 12) : p1;
        int kind1 = state.Kinds[0], kind2 = state.Kinds[1], kind3 = state.Kinds[2], kind4 = state.Kinds[3];
        bool multError1 = (kind1 & MultErrorKind) != 0, multError2 = (kind2 & MultErrorKind) != 0;
        bool multError3 = (kind3 & MultErrorKind) != 0, multError4 = (kind4 & MultErrorKind) != 0;
        Vector256<double> l1 = p1.Level, b1 = p1.Growth, l2 = p2.Level, b2 = p2.Growth;
        Vector256<double> l3 = p3.Level, b3 = p3.Growth, l4 = p4.Level, b4 = p4.Growth;
        // The accumulators (Σe², Π|ŷ| and its exponent) live in the scratch arrays, not in registers: they are off the
        // chain of dependent steps, and a machine with 16 vector registers (AVX2) then keeps every vector's level and
        // growth — the chain — in registers instead of spilling them (a spilled chain waits for a store and a load
        // every step).
        ref Vector256<double> lik1 = ref Accumulator(state.Sums, 0), lik2 = ref Accumulator(state.Sums, 4);
        ref Vector256<double> lik3 = ref Accumulator(state.Sums, 8), lik4 = ref Accumulator(state.Sums, 12);
        ref Vector256<double> product1 = ref Accumulator(state.Products, 0), product2 = ref Accumulator(state.Products, 4);
        ref Vector256<double> product3 = ref Accumulator(state.Products, 8), product4 = ref Accumulator(state.Products, 12);
        ref Vector256<long> exponent1 = ref Accumulator(state.Exponents, 0), exponent2 = ref Accumulator(state.Exponents, 4);
        ref Vector256<long> exponent3 = ref Accumulator(state.Exponents, 8), exponent4 = ref Accumulator(state.Exponents, 12);
        int n = y.Length, head = 0, m = state.M;
        for (int i = 0; i < n; i++)
        {
            var yi = Vector256.Create(y[i]);
            int oldest = head == 0 ? m - 1 : head - 1;
            StepLanes<TSeason>(yi, p1, kind1, ref l1, ref b1, ref lik1, ref product1, ring1, oldest);
            if (two) StepLanes<TSeason>(yi, p2, kind2, ref l2, ref b2, ref lik2, ref product2, ring2, oldest);
            if (three) StepLanes<TSeason>(yi, p3, kind3, ref l3, ref b3, ref lik3, ref product3, ring3, oldest);
            if (four) StepLanes<TSeason>(yi, p4, kind4, ref l4, ref b4, ref lik4, ref product4, ring4, oldest);
            if (multError1 && !InRange(product1)) Renormalise(ref product1, ref exponent1);
            if (two && multError2 && !InRange(product2)) Renormalise(ref product2, ref exponent2);
            if (three && multError3 && !InRange(product3)) Renormalise(ref product3, ref exponent3);
            if (four && multError4 && !InRange(product4)) Renormalise(ref product4, ref exponent4);
            if (typeof(TSeason) == typeof(Yes)) head = oldest;
        }
    }

    /// <summary>Four lanes of a scratch array as one vector, read and written in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref Vector256<T> Accumulator<T>(Span<T> lanes, int offset) where T : struct =>
        ref Unsafe.As<T, Vector256<T>>(ref MemoryMarshal.GetReference(lanes.Slice(offset, Vector256<T>.Count)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
    /// states per period position); <paramref name="kind"/> says which variants the lanes need (seasonal, multiplicative
    /// season, multiplicative error).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StepLanes<TSeason>(Vector256<double> yi, in Lanes p, int kind, ref Vector256<double> level,
        ref Vector256<double> growth, ref Vector256<double> lik, ref Vector256<double> product, Span<double> ring, int oldest)
        where TSeason : struct
    {
        var oldl = level;
        var oldb = growth;
        // forecast() with h = 1 and update()'s q: l + φb with an additive trend, l without. A vector whose lanes all
        // have a trend, or none has, takes its variant without the selection (two steps fewer on the chain of
        // dependent operations; the same values).
        bool trend = (kind & TrendKind) != 0, flat = (kind & FlatKind) != 0;
        var phib = trend ? p.Phi * oldb : Vector256<double>.Zero;
        var q = !trend ? oldl : flat ? LaneMask.Select(p.AddTrend, oldl + phib, oldl) : oldl + phib;
        var f = q;
        var pp = yi;
        var sOld = Vector256<double>.Zero;
        bool seasonal = typeof(TSeason) == typeof(Yes) && (kind & SeasonalKind) != 0;
        bool multSeason = seasonal && (kind & MultSeasonKind) != 0;
        // A vector whose lanes all have the same season, or the same error, takes its variant without the selections
        // (the same values: a selection by a mask set in every lane is its first operand).
        bool onlyMultSeason = multSeason && (kind & (AddSeasonKind | NoSeasonKind)) == 0;
        bool onlyAddSeason = seasonal && (kind & (MultSeasonKind | NoSeasonKind)) == 0;
        if (seasonal)
        {
            sOld = Accumulator(ring, 4 * oldest);
            var ppAdd = yi - sOld;
            if (multSeason)
            {
                var ppMult = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(sOld), Vector256.Create(Tol)),
                    Vector256.Create(HugeN), yi / sOld);
                if (onlyMultSeason)
                {
                    f = q * sOld;
                    pp = ppMult;
                }
                else
                {
                    f = LaneMask.Select(p.AddSeason, q + sOld, LaneMask.Select(p.MultSeason, q * sOld, q));
                    pp = LaneMask.Select(p.AddSeason, ppAdd, LaneMask.Select(p.MultSeason, ppMult, yi));
                }
            }
            else if (onlyAddSeason)
            {
                f = q + sOld;
                pp = ppAdd;
            }
            else
            {
                f = LaneMask.Select(p.AddSeason, q + sOld, q);
                pp = LaneMask.Select(p.AddSeason, ppAdd, yi);
            }
        }
        var l = q + p.Alpha * (pp - q);
        level = l;
        if (trend)
        {
            var r = l - oldl;
            var trended = phib + p.BetaOverAlpha * (r - phib);
            growth = flat ? LaneMask.Select(p.AddTrend, trended, oldb) : trended;
        }
        if (seasonal)
        {
            var t = yi - q;
            if (multSeason)
            {
                var tMult = Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(q), Vector256.Create(Tol)),
                    Vector256.Create(HugeN), yi / q);
                t = onlyMultSeason ? tMult : LaneMask.Select(p.MultSeason, tMult, t);
            }
            Accumulator(ring, 4 * oldest) = sOld + p.Gamma * (t - sOld);
        }
        var d = yi - f;
        if ((kind & MultErrorKind) != 0 && (kind & AddErrorKind) == 0)
        {
            var e = d / f;
            lik += e * e;
            product *= Vector256.Abs(f);
        }
        else if ((kind & MultErrorKind) != 0)
        {
            var e = LaneMask.Select(p.MultError, d / f, d);
            lik += e * e;
            product *= LaneMask.Select(p.MultError, Vector256.Abs(f), Vector256<double>.One);
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
