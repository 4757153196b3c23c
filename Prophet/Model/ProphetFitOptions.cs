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
    /// Use the exact solvers (from the init, or to finish a forced Stan run from where it stopped)
    /// (default). False runs only Stan's algorithm, which stops slightly short of the mode as rstan does.
    /// </summary>
    public bool ExactMode { get; init; } = true;

    /// <summary>Retry with Newton when L-BFGS fails (prophet does this by default).</summary>
    public bool NewtonFallback { get; init; } = true;
}
