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

    /// <summary>Retry with Newton when L-BFGS fails (prophet does this by default).</summary>
    public bool NewtonFallback { get; init; } = true;
}
