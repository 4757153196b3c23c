namespace Forecast.Core.Cleaning;

/// <summary>How missing values (NaN, including timestamps added by reindexing) are filled.</summary>
public enum FillPolicy
{
    /// <summary>Leave them NaN (models that handle missing values, such as Chronos and Prophet, take them as is).</summary>
    None,
    /// <summary>Carry the last observed value forward; leading gaps take the first observed value.</summary>
    Ffill,
    /// <summary>Interpolate linearly in time between the neighbouring observed values; ends take the nearest observed value.</summary>
    Linear,
    /// <summary>Fill with 0 (counts, sales).</summary>
    Zero,
}
