namespace Forecast.Core.Evaluation;

/// <summary>How forecasts are scored against held-back data.</summary>
public enum EvaluationMode
{
    /// <summary>One window: the last <c>horizon</c> points of each series (the M4 / Chronos protocol).</summary>
    Holdout,

    /// <summary>Rolling origin: <c>windows</c> cutoffs, <c>step</c> points apart, the last ending at the end of the series.</summary>
    Backtest,
}
