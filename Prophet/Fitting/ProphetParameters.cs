namespace Forecast.Prophet;

/// <summary>MAP parameters of prophet.stan: growth rate k, offset m, rate changes delta[S], noise sigma_obs, beta[K].</summary>
public sealed record ProphetParameters(double K, double M, double[] Delta, double SigmaObs, double[] Beta)
{
    /// <summary>Layout of the optimiser's unconstrained vector (Stan's declaration order): k, m, delta, log(sigma_obs), beta.</summary>
    public double[] ToUnconstrained()
    {
        var x = new double[3 + Delta.Length + Beta.Length];
        x[0] = K;
        x[1] = M;
        Delta.CopyTo(x, 2);
        x[2 + Delta.Length] = Math.Log(SigmaObs);
        Beta.CopyTo(x, 3 + Delta.Length);
        return x;
    }

    public static ProphetParameters FromUnconstrained(ReadOnlySpan<double> x, int s, int k) =>
        new(x[0], x[1], x.Slice(2, s).ToArray(), Math.Exp(x[2 + s]), x.Slice(3 + s, k).ToArray());
}
