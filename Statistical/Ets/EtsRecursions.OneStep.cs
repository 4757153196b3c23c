using System.Runtime.CompilerServices;

namespace Forecast.Statistical.Ets;

internal static partial class EtsRecursions
{
    private const double Ln2 = 0.69314718055994530942;

    /// <summary>The parameters of one evaluation; <paramref name="KeepErrors"/>: store the innovations and the one-step MSE.</summary>
    public readonly record struct OneStep(double Alpha, double Beta, double Gamma, double Phi, int M, bool KeepErrors);

    private struct AddE;
    private struct MultE;
    private struct NoT;
    private struct AddT;
    private struct MultT;
    private struct NoS;
    private struct AddS;
    private struct MultS;

    /// <summary>
    /// The one-step likelihood recursion of one ETS form, compiled once per form (the type arguments fold every
    /// component test away). <see cref="Pair"/> runs two forms' recursions over the same data in one loop: each
    /// step's operations depend on the previous step's, so one recursion leaves the processor waiting on that chain
    /// (about 6 ns a step), and a second, independent one fills the wait. Each lane's arithmetic is its single run's,
    /// so the values are the same bits.
    /// </summary>
    public abstract class OneStepLane
    {
        private static readonly OneStepLane[] Lanes =
        [
            new Lane<AddE, NoT, NoS>(), new Lane<AddE, NoT, AddS>(), new Lane<AddE, NoT, MultS>(),
            new Lane<AddE, AddT, NoS>(), new Lane<AddE, AddT, AddS>(), new Lane<AddE, AddT, MultS>(),
            new Lane<AddE, MultT, NoS>(), new Lane<AddE, MultT, AddS>(), new Lane<AddE, MultT, MultS>(),
            new Lane<MultE, NoT, NoS>(), new Lane<MultE, NoT, AddS>(), new Lane<MultE, NoT, MultS>(),
            new Lane<MultE, AddT, NoS>(), new Lane<MultE, AddT, AddS>(), new Lane<MultE, AddT, MultS>(),
            new Lane<MultE, MultT, NoS>(), new Lane<MultE, MultT, AddS>(), new Lane<MultE, MultT, MultS>(),
        ];

        /// <summary>The lane of a form: error Add/Mult, trend and season None/Add/Mult.</summary>
        public static OneStepLane For(int error, int trend, int season) => Lanes[(error == Mult ? 9 : 0) + 3 * trend + season];

        /// <summary>Whether the form can share a loop (a multiplicative trend can end a run early with the NA marker).</summary>
        public abstract bool Pairable { get; }

        public abstract double Run(ReadOnlySpan<double> y, ReadOnlySpan<double> init, OneStep p, Span<double> e, Span<double> amse, Span<double> ring);

        /// <summary>
        /// One step of the recursion (etscalc.c's <c>forecast</c> with h = 1, then <c>update</c> with <paramref name="y"/>):
        /// returns the one-step forecast; the seasonal states are in <paramref name="ring"/>, the newest at <paramref name="head"/>.
        /// </summary>
        public abstract double Advance(double y, in OneStep p, ref double level, ref double growth, ref int head, Span<double> ring);

        /// <summary>The runner of this lane (first) and <paramref name="second"/> in one loop; both must be <see cref="Pairable"/>.</summary>
        public abstract PairRunner PairWith(OneStepLane second);

        private protected abstract PairRunner PairAfter<TE, TT, TS>() where TE : struct where TT : struct where TS : struct;

        /// <summary>The runner of this lane, <paramref name="second"/> and <paramref name="third"/> in one loop; all must be <see cref="Pairable"/>.</summary>
        public abstract TripleRunner TripleWith(OneStepLane second, OneStepLane third);

        private protected abstract TripleRunner TripleAfter<TE, TT, TS>(OneStepLane third) where TE : struct where TT : struct where TS : struct;

        private protected abstract TripleRunner TripleLast<TE1, TT1, TS1, TE2, TT2, TS2>()
            where TE1 : struct where TT1 : struct where TS1 : struct where TE2 : struct where TT2 : struct where TS2 : struct;

        private sealed class Lane<TE, TT, TS> : OneStepLane where TE : struct where TT : struct where TS : struct
        {
            public override bool Pairable => typeof(TT) != typeof(MultT);

            public override double Run(ReadOnlySpan<double> y, ReadOnlySpan<double> init, OneStep p, Span<double> e, Span<double> amse, Span<double> ring) =>
                OneStepObjective<TE, TT, TS>(y, init, p, e, amse, ring);

            public override double Advance(double y, in OneStep p, ref double level, ref double growth, ref int head, Span<double> ring) =>
                Step<TT, TS>(y, p, p.Beta / p.Alpha, Math.Abs(p.Phi - 1.0) < Tol, ref level, ref growth, ref head, ring);

            public override PairRunner PairWith(OneStepLane second) => second.PairAfter<TE, TT, TS>();

            private protected override PairRunner PairAfter<TE1, TT1, TS1>() => new Runner<TE1, TT1, TS1, TE, TT, TS>();

            public override TripleRunner TripleWith(OneStepLane second, OneStepLane third) => second.TripleAfter<TE, TT, TS>(third);

            private protected override TripleRunner TripleAfter<TE1, TT1, TS1>(OneStepLane third) => third.TripleLast<TE1, TT1, TS1, TE, TT, TS>();

            private protected override TripleRunner TripleLast<TE1, TT1, TS1, TE2, TT2, TS2>() => new Runner3<TE1, TT1, TS1, TE2, TT2, TS2, TE, TT, TS>();
        }

        private sealed class Runner3<TE1, TT1, TS1, TE2, TT2, TS2, TE3, TT3, TS3> : TripleRunner
            where TE1 : struct where TT1 : struct where TS1 : struct where TE2 : struct where TT2 : struct where TS2 : struct
            where TE3 : struct where TT3 : struct where TS3 : struct
        {
            public override (double First, double Second, double Third) Run(ReadOnlySpan<double> y, ReadOnlySpan<double> init1, OneStep p1,
                Span<double> ring1, ReadOnlySpan<double> init2, OneStep p2, Span<double> ring2, ReadOnlySpan<double> init3, OneStep p3,
                Span<double> ring3) =>
                Triple<TE1, TT1, TS1, TE2, TT2, TS2, TE3, TT3, TS3>(y, init1, p1, ring1, init2, p2, ring2, init3, p3, ring3);
        }

        private sealed class Runner<TE1, TT1, TS1, TE2, TT2, TS2> : PairRunner
            where TE1 : struct where TT1 : struct where TS1 : struct where TE2 : struct where TT2 : struct where TS2 : struct
        {
            public override (double First, double Second) Run(ReadOnlySpan<double> y, ReadOnlySpan<double> init1, OneStep p1, Span<double> ring1,
                ReadOnlySpan<double> init2, OneStep p2, Span<double> ring2) =>
                Pair<TE1, TT1, TS1, TE2, TT2, TS2>(y, init1, p1, ring1, init2, p2, ring2);
        }
    }

    /// <summary>Two lanes' likelihood objectives in one loop (see <see cref="OneStepLane"/>).</summary>
    public abstract class PairRunner
    {
        public abstract (double First, double Second) Run(ReadOnlySpan<double> y, ReadOnlySpan<double> init1, OneStep p1, Span<double> ring1,
            ReadOnlySpan<double> init2, OneStep p2, Span<double> ring2);
    }

    /// <summary>Three lanes' likelihood objectives in one loop (see <see cref="OneStepLane"/>).</summary>
    public abstract class TripleRunner
    {
        public abstract (double First, double Second, double Third) Run(ReadOnlySpan<double> y, ReadOnlySpan<double> init1, OneStep p1,
            Span<double> ring1, ReadOnlySpan<double> init2, OneStep p2, Span<double> ring2, ReadOnlySpan<double> init3, OneStep p3,
            Span<double> ring3);
    }

    /// <summary>
    /// The objective of <see cref="Calculate"/> for one-step criteria, without the state history: the same operations in
    /// the same order as etscalc's
    /// <c>forecast</c> (h = 1) and <c>update</c>, but for the sum of log|ŷ| (see <see cref="LogProduct"/>).
    /// </summary>
    private static double OneStepObjective<TE, TT, TS>(ReadOnlySpan<double> y, ReadOnlySpan<double> init, OneStep p,
        Span<double> e, Span<double> amse, Span<double> ring)
        where TE : struct where TT : struct where TS : struct
    {
        int n = y.Length;
        var (l, b) = Start<TT, TS>(init, p, ring);
        int head = 0;
        double betaOverAlpha = p.Beta / p.Alpha;
        bool undamped = Math.Abs(p.Phi - 1.0) < Tol;
        double amse0 = 0, denom0 = 0, lik = 0;
        double product = 1;
        long exponent = 0;
        bool keepErrors = p.KeepErrors;
        e = e[..n];
        for (int i = 0; i < n; i++)
        {
            double yi = y[i];
            double f = Step<TT, TS>(yi, p, betaOverAlpha, undamped, ref l, ref b, ref head, ring);
            if (typeof(TT) == typeof(MultT) && Math.Abs(f - NotAvailable) < Tol) return NotAvailable;
            double ei = typeof(TE) == typeof(AddE) ? yi - f : (yi - f) / f;
            if (keepErrors)
            {
                e[i] = ei;
                denom0 += 1.0;
                double tmp = yi - f;
                amse0 = (amse0 * (denom0 - 1.0) + (tmp * tmp)) / denom0;
            }
            lik += ei * ei;
            if (typeof(TE) == typeof(MultE)) LogProduct(f, ref product, ref exponent);
        }
        if (keepErrors) amse[0] = amse0;
        return Likelihood<TE>(n, lik, product, exponent);
    }

    /// <summary>Two forms' likelihood objectives (no innovations kept), step by step in one loop.</summary>
    private static (double, double) Pair<TE1, TT1, TS1, TE2, TT2, TS2>(ReadOnlySpan<double> y, ReadOnlySpan<double> init1, OneStep p1,
        Span<double> ring1, ReadOnlySpan<double> init2, OneStep p2, Span<double> ring2)
        where TE1 : struct where TT1 : struct where TS1 : struct where TE2 : struct where TT2 : struct where TS2 : struct
    {
        int n = y.Length;
        var (l1, b1) = Start<TT1, TS1>(init1, p1, ring1);
        var (l2, b2) = Start<TT2, TS2>(init2, p2, ring2);
        int head1 = 0, head2 = 0;
        double betaOverAlpha1 = p1.Beta / p1.Alpha, betaOverAlpha2 = p2.Beta / p2.Alpha;
        bool undamped1 = Math.Abs(p1.Phi - 1.0) < Tol, undamped2 = Math.Abs(p2.Phi - 1.0) < Tol;
        double lik1 = 0, lik2 = 0, product1 = 1, product2 = 1;
        long exponent1 = 0, exponent2 = 0;
        for (int i = 0; i < n; i++)
        {
            double yi = y[i];
            double f1 = Step<TT1, TS1>(yi, p1, betaOverAlpha1, undamped1, ref l1, ref b1, ref head1, ring1);
            double f2 = Step<TT2, TS2>(yi, p2, betaOverAlpha2, undamped2, ref l2, ref b2, ref head2, ring2);
            double e1 = typeof(TE1) == typeof(AddE) ? yi - f1 : (yi - f1) / f1;
            double e2 = typeof(TE2) == typeof(AddE) ? yi - f2 : (yi - f2) / f2;
            lik1 += e1 * e1;
            lik2 += e2 * e2;
            if (typeof(TE1) == typeof(MultE)) LogProduct(f1, ref product1, ref exponent1);
            if (typeof(TE2) == typeof(MultE)) LogProduct(f2, ref product2, ref exponent2);
        }
        return (Likelihood<TE1>(n, lik1, product1, exponent1), Likelihood<TE2>(n, lik2, product2, exponent2));
    }

    /// <summary>Three forms' likelihood objectives (no innovations kept), step by step in one loop.</summary>
    private static (double, double, double) Triple<TE1, TT1, TS1, TE2, TT2, TS2, TE3, TT3, TS3>(ReadOnlySpan<double> y,
        ReadOnlySpan<double> init1, OneStep p1, Span<double> ring1, ReadOnlySpan<double> init2, OneStep p2, Span<double> ring2,
        ReadOnlySpan<double> init3, OneStep p3, Span<double> ring3)
        where TE1 : struct where TT1 : struct where TS1 : struct where TE2 : struct where TT2 : struct where TS2 : struct
        where TE3 : struct where TT3 : struct where TS3 : struct
    {
        int n = y.Length;
        var (l1, b1) = Start<TT1, TS1>(init1, p1, ring1);
        var (l2, b2) = Start<TT2, TS2>(init2, p2, ring2);
        var (l3, b3) = Start<TT3, TS3>(init3, p3, ring3);
        int head1 = 0, head2 = 0, head3 = 0;
        double betaOverAlpha1 = p1.Beta / p1.Alpha, betaOverAlpha2 = p2.Beta / p2.Alpha, betaOverAlpha3 = p3.Beta / p3.Alpha;
        bool undamped1 = Math.Abs(p1.Phi - 1.0) < Tol, undamped2 = Math.Abs(p2.Phi - 1.0) < Tol, undamped3 = Math.Abs(p3.Phi - 1.0) < Tol;
        double lik1 = 0, lik2 = 0, lik3 = 0, product1 = 1, product2 = 1, product3 = 1;
        long exponent1 = 0, exponent2 = 0, exponent3 = 0;
        for (int i = 0; i < n; i++)
        {
            double yi = y[i];
            double f1 = Step<TT1, TS1>(yi, p1, betaOverAlpha1, undamped1, ref l1, ref b1, ref head1, ring1);
            double f2 = Step<TT2, TS2>(yi, p2, betaOverAlpha2, undamped2, ref l2, ref b2, ref head2, ring2);
            double f3 = Step<TT3, TS3>(yi, p3, betaOverAlpha3, undamped3, ref l3, ref b3, ref head3, ring3);
            double e1 = typeof(TE1) == typeof(AddE) ? yi - f1 : (yi - f1) / f1;
            double e2 = typeof(TE2) == typeof(AddE) ? yi - f2 : (yi - f2) / f2;
            double e3 = typeof(TE3) == typeof(AddE) ? yi - f3 : (yi - f3) / f3;
            lik1 += e1 * e1;
            lik2 += e2 * e2;
            lik3 += e3 * e3;
            if (typeof(TE1) == typeof(MultE)) LogProduct(f1, ref product1, ref exponent1);
            if (typeof(TE2) == typeof(MultE)) LogProduct(f2, ref product2, ref exponent2);
            if (typeof(TE3) == typeof(MultE)) LogProduct(f3, ref product3, ref exponent3);
        }
        return (Likelihood<TE1>(n, lik1, product1, exponent1), Likelihood<TE2>(n, lik2, product2, exponent2),
            Likelihood<TE3>(n, lik3, product3, exponent3));
    }

    /// <summary>The initial level and growth of one recursion, its seasonal states copied into the ring.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (double L, double B) Start<TT, TS>(ReadOnlySpan<double> init, in OneStep p, Span<double> ring) where TT : struct where TS : struct
    {
        bool trended = typeof(TT) != typeof(NoT);
        if (typeof(TS) != typeof(NoS))
        {
            for (int j = 0; j < p.M; j++) ring[j] = init[(trended ? 1 : 0) + j + 1];
        }
        return (init[0], trended ? init[1] : 0);
    }

    /// <summary>
    /// One step of etscalc: the one-step forecast from the state (returned; the NA marker for a multiplicative trend
    /// whose growth turned negative), then update() with <paramref name="yi"/> — the oldest seasonal state replaced by the
    /// newest in the ring.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Step<TT, TS>(double yi, in OneStep p, double betaOverAlpha, bool undamped, ref double level, ref double growth,
        ref int head, Span<double> ring) where TT : struct where TS : struct
    {
        bool seasonal = typeof(TS) != typeof(NoS);
        double alpha = p.Alpha, gamma = p.Gamma, phi = p.Phi;
        double oldl = level, oldb = growth;
        int oldest = 0;
        double sOld = 0;
        if (seasonal)
        {
            oldest = head == 0 ? p.M - 1 : head - 1;
            sOld = ring[oldest];
        }
        // forecast(), h = 1 (phistar = phi).
        double f;
        if (typeof(TT) == typeof(NoT)) f = oldl;
        else if (typeof(TT) == typeof(AddT)) f = oldl + phi * oldb;
        else if (oldb < 0) f = NotAvailable;
        else f = oldl * Math.Pow(oldb, phi);
        if (typeof(TS) == typeof(AddS)) f = f + sOld;
        else if (typeof(TS) == typeof(MultS)) f = f * sOld;

        // update().
        double q, phib;
        if (typeof(TT) == typeof(NoT))
        {
            q = oldl;
            phib = 0;
        }
        else if (typeof(TT) == typeof(AddT))
        {
            phib = phi * oldb;
            q = oldl + phib;
        }
        else if (undamped)
        {
            phib = oldb;
            q = oldl * oldb;
        }
        else
        {
            phib = Math.Pow(oldb, phi);
            q = oldl * phib;
        }
        double pp;
        if (typeof(TS) == typeof(NoS)) pp = yi;
        else if (typeof(TS) == typeof(AddS)) pp = yi - sOld;
        else if (Math.Abs(sOld) < Tol) pp = HugeN;
        else pp = yi / sOld;
        double l = q + alpha * (pp - q);
        level = l;
        if (typeof(TT) != typeof(NoT))
        {
            double r;
            if (typeof(TT) == typeof(AddT)) r = l - oldl;
            else if (Math.Abs(oldl) < Tol) r = HugeN;
            else r = l / oldl;
            growth = phib + betaOverAlpha * (r - phib);
        }
        if (seasonal)
        {
            double t;
            if (typeof(TS) == typeof(AddS)) t = yi - q;
            else if (Math.Abs(q) < Tol) t = HugeN;
            else t = yi / q;
            ring[oldest] = sOld + gamma * (t - sOld);
            head = oldest;
        }
        return f;
    }

    /// <summary>
    /// Σ log|ŷ| of multiplicative errors as the log of a running product, its binary exponent moved out when it leaves
    /// [1e-150, 1e150]: one multiply a step instead of a logarithm (a third of a short fit's time), and no less accurate
    /// (n roundings of the product against n roundings of the logs and of their sum).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LogProduct(double f, ref double product, ref long exponent)
    {
        product *= Math.Abs(f);
        Renormalise(ref product, ref exponent);
    }

    /// <summary>The running product's binary exponent moved out when the product leaves [1e-150, 1e150].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Renormalise(ref double product, ref long exponent)
    {
        if (!(product < 1e150 && product > 1e-150) && product != 0 && double.IsFinite(product))
        {
            int shift = Math.ILogB(product);
            product = Math.ScaleB(product, -shift);
            exponent += shift;
        }
    }

    /// <summary>etscalc's objective: n·log(Σe²), plus 2·Σlog|ŷ| for multiplicative errors.</summary>
    private static double Likelihood<TE>(int n, double sumSquares, double product, long exponent) where TE : struct
    {
        double lik = n * Math.Log(sumSquares);
        if (typeof(TE) == typeof(MultE)) lik += 2 * (Math.Log(product) + exponent * Ln2);
        return lik;
    }
}
