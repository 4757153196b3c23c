using System.Runtime.CompilerServices;

namespace Forecast.Statistical.Arima;

/// <summary>
/// The parameter maps of stats::arima (arima.c): <c>ARIMA_transPars</c> expands (p, q, P, Q) coefficients into the full
/// AR and MA polynomials (seasonal products multiplied out), optionally through the transformation that keeps the AR
/// parts stationary (<c>partrans</c>: tanh to partial autocorrelations, then Durbin-Levinson); <c>ARIMA_undoPars</c>,
/// <c>ARIMA_Invtrans</c> and <c>ARIMA_Gradtrans</c> are its inverse and Jacobian.
/// </summary>
internal static class ArimaParameters
{
    /// <summary>partrans: raw[0..p) → AR coefficients via tanh and the Durbin-Levinson recursion.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PartialToAr(int p, ReadOnlySpan<double> raw, Span<double> result)
    {
        if (p > 100) throw new ArgumentException("can only transform 100 pars in arima0");
        Span<double> work = stackalloc double[p];
        for (int j = 0; j < p; j++) work[j] = result[j] = Math.Tanh(raw[j]);
        for (int j = 1; j < p; j++)
        {
            double a = result[j];
            for (int k = 0; k < j; k++) work[k] -= a * result[j - k - 1];
            for (int k = 0; k < j; k++) result[k] = work[k];
        }
    }

    /// <summary>invpartrans: AR coefficients → the raw parameters (backwards Durbin-Levinson, then atanh).</summary>
    private static void ArToPartial(int p, ReadOnlySpan<double> phi, Span<double> result)
    {
        if (p > 100) throw new ArgumentException("can only transform 100 pars in arima0");
        Span<double> work = stackalloc double[p];
        for (int j = 0; j < p; j++) work[j] = result[j] = phi[j];
        for (int j = p - 1; j > 0; j--)
        {
            double a = result[j];
            for (int k = 0; k < j; k++) work[k] = (result[k] + a * result[j - k - 1]) / (1 - a * a);
            for (int k = 0; k < j; k++) result[k] = work[k];
        }
        for (int j = 0; j < p; j++) result[j] = Math.Atanh(result[j]);
    }

    /// <summary>ARIMA_transPars: (phi, theta) of lengths p + s·P and q + s·Q from the coefficients.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (double[] Phi, double[] Theta) Expand(ReadOnlySpan<double> input, ArimaOrder arma, bool transform)
    {
        int mp = arma.P, mq = arma.Q, msp = arma.SeasonalP, msq = arma.SeasonalQ, ns = arma.Period;
        int p = mp + ns * msp, q = mq + ns * msq;
        var phi = new double[p];
        var theta = new double[q];
        ReadOnlySpan<double> par = input;
        if (transform)
        {
            int n = mp + mq + msp + msq;
            var copy = input[..n].ToArray();
            if (mp > 0) PartialToAr(mp, input, copy);
            int v = mp + mq;
            if (msp > 0) PartialToAr(msp, input[v..], copy.AsSpan(v));
            par = copy;
        }
        if (ns > 0)
        {
            for (int i = 0; i < mp; i++) phi[i] = par[i];
            for (int i = 0; i < mq; i++) theta[i] = par[i + mp];
            for (int j = 0; j < msp; j++)
            {
                phi[(j + 1) * ns - 1] += par[j + mp + mq];
                for (int i = 0; i < mp; i++) phi[(j + 1) * ns + i] -= par[i] * par[j + mp + mq];
            }
            for (int j = 0; j < msq; j++)
            {
                theta[(j + 1) * ns - 1] += par[j + mp + mq + msp];
                for (int i = 0; i < mq; i++) theta[(j + 1) * ns + i] += par[i + mp] * par[j + mp + mq + msp];
            }
        }
        else
        {
            for (int i = 0; i < mp; i++) phi[i] = par[i];
            for (int i = 0; i < mq; i++) theta[i] = par[i + mp];
        }
        return (phi, theta);
    }

    /// <summary>ARIMA_undoPars: the coefficients with the AR parts transformed.</summary>
    public static double[] Undo(ReadOnlySpan<double> input, ArimaOrder arma)
    {
        var result = input.ToArray();
        if (arma.P > 0) PartialToAr(arma.P, input, result);
        int v = arma.P + arma.Q;
        if (arma.SeasonalP > 0) PartialToAr(arma.SeasonalP, input[v..], result.AsSpan(v));
        return result;
    }

    /// <summary>ARIMA_Invtrans: the raw parameters whose transformation gives these coefficients.</summary>
    public static double[] Inverse(ReadOnlySpan<double> input, ArimaOrder arma)
    {
        var result = input.ToArray();
        if (arma.P > 0) ArToPartial(arma.P, input, result);
        int v = arma.P + arma.Q;
        if (arma.SeasonalP > 0) ArToPartial(arma.SeasonalP, input[v..], result.AsSpan(v));
        return result;
    }

    /// <summary>ARIMA_Gradtrans: the Jacobian of the transformation by forward differences (step 1e-3).</summary>
    public static double[,] Jacobian(ReadOnlySpan<double> raw, ArimaOrder arma)
    {
        const double eps = 1e-3;
        int n = raw.Length, mp = arma.P, mq = arma.Q, msp = arma.SeasonalP;
        var a = new double[n, n];
        for (int i = 0; i < n; i++) a[i, i] = 1;
        Span<double> w1 = stackalloc double[100], w2 = stackalloc double[100], w3 = stackalloc double[100];
        if (mp > 0)
        {
            for (int i = 0; i < mp; i++) w1[i] = raw[i];
            PartialToAr(mp, w1, w2);
            for (int i = 0; i < mp; i++)
            {
                w1[i] += eps;
                PartialToAr(mp, w1, w3);
                for (int j = 0; j < mp; j++) a[i, j] = (w3[j] - w2[j]) / eps;
                w1[i] -= eps;
            }
        }
        if (msp > 0)
        {
            int v = mp + mq;
            for (int i = 0; i < msp; i++) w1[i] = raw[i + v];
            PartialToAr(msp, w1, w2);
            for (int i = 0; i < msp; i++)
            {
                w1[i] += eps;
                PartialToAr(msp, w1, w3);
                for (int j = 0; j < msp; j++) a[i + v, j + v] = (w3[j] - w2[j]) / eps;
                w1[i] -= eps;
            }
        }
        return a;
    }
}
