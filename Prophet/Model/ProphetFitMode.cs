namespace Forecast.Prophet;

/// <summary>How <see cref="Prophet.Fit"/> maximises the log posterior (see docs/prophet.md, "Fitting").</summary>
public enum ProphetFitMode
{
    /// <summary>
    /// The exact MAP: closed-form and exact L1 solvers (default). At least rstan's log posterior on every case, often
    /// higher, because rstan's L-BFGS stops short of the mode at the |delta| kinks; the fastest mode.
    /// </summary>
    Exact,

    /// <summary>
    /// R prophet 1.0's own fit: rstan 2.21's L-BFGS and Newton (prophet's algorithm choice and fallback) on the log
    /// posterior computed with rstan's exact floating-point operations, so the fit stops where rstan stops and
    /// reproduces R's parameters and forecasts (bit for bit on every golden case).
    /// </summary>
    RCompatible,
}
