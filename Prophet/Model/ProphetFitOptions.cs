namespace Forecast.Prophet;

/// <summary>
/// Arguments passed through to the optimiser (prophet's <c>fit(**kwargs)</c>: <c>algorithm</c>, <c>init</c>,
/// <c>iter</c>, <c>newton_fallback</c>). They are kept on the model and reused by cross-validation.
/// </summary>
public sealed record ProphetFitOptions
{
    public OptimizerAlgorithm Algorithm { get; init; } = OptimizerAlgorithm.Auto;

    /// <summary>Start point; null = prophet's growth-specific init (spec §9).</summary>
    public ProphetParameters? Init { get; init; }

    public int Iterations { get; init; } = 10000;

    /// <summary>
    /// <see cref="ProphetFitMode.Exact"/> (default): the exact solvers, from the init or, when an algorithm is
    /// forced, finishing Stan's run from where it stopped. <see cref="ProphetFitMode.RCompatible"/>: rstan 2.21's
    /// optimisers with rstan's arithmetic and nothing else, so the fit is R prophet 1.0's.
    /// </summary>
    public ProphetFitMode Mode { get; init; } = ProphetFitMode.Exact;

    /// <summary>
    /// <see cref="ProphetFitMode.RCompatible"/> only: the L1 data cache size in bytes of the machine whose rstan run is
    /// to be reproduced. Eigen 3.3.9 sizes the depth blocks of its matrix products from it (CPUID at run time), which
    /// decides the last bits of rstan's long sums and so, over hundreds of L-BFGS iterations, where rstan stops. Null
    /// (default) = this machine's, as rstan running here would use; the golden fixtures were made with 32768.
    /// </summary>
    public int? EigenL1CacheBytes { get; init; }

    /// <summary>Retry with Newton when L-BFGS fails (prophet does this by default).</summary>
    public bool NewtonFallback { get; init; } = true;
}
