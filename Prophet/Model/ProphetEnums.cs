namespace Forecast.Prophet;

/// <summary>Trend model (prophet's <c>growth</c>).</summary>
public enum Growth
{
    Linear,
    Logistic,
    Flat,
}

/// <summary>How a component combines with the trend (prophet's <c>mode</c>).</summary>
public enum SeasonalityMode
{
    Additive,
    Multiplicative,
}

/// <summary>How y is scaled before fitting (Python prophet 1.1.5+ <c>scaling</c>; R has only absmax).</summary>
public enum Scaling
{
    AbsMax,
    MinMax,
}

/// <summary>Whether an extra regressor is standardised (prophet's <c>standardize='auto'|True|False</c>).</summary>
public enum RegressorStandardize
{
    /// <summary>Standardise unless the column is binary {0, 1} or constant.</summary>
    Auto,
    Yes,
    No,
}

/// <summary>Optimiser used for the MAP fit (prophet's <c>algorithm</c> fit argument).</summary>
public enum OptimizerAlgorithm
{
    /// <summary>prophet's rule: Newton when the history has fewer than 100 rows, else L-BFGS.</summary>
    Auto,
    Lbfgs,
    Newton,
}

/// <summary>Sort order of holiday feature columns (spec §5.2: R sorts by locale collation, Python by code point).</summary>
public enum HolidayColumnOrder
{
    /// <summary>Python prophet: <c>sorted()</c>, code-point order.</summary>
    Ordinal,
    /// <summary>R prophet: <c>sort()</c>, which sorted case-insensitively in the golden runs.</summary>
    CaseInsensitive,
}

/// <summary>Simulation of future trend changes for the intervals (spec §12).</summary>
public enum IntervalMethod
{
    /// <summary>R prophet 1.0 (and Python with vectorized=False): Poisson-many new changepoints per path.</summary>
    RPoissonChangepoints,

    /// <summary>Python prophet 1.1's default vectorised simulation: a possible rate change at every future step.</summary>
    PythonVectorized,
}
