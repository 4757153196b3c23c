namespace Forecast.Core.Cleaning;

/// <summary>What to do with a series shorter than <see cref="CleaningOptions.MinLength"/>.</summary>
public enum ShortSeriesPolicy
{
    /// <summary>Drop it and list it as a warning in the cleaning report.</summary>
    Drop,
    /// <summary>Fail with a <see cref="Data.DataException"/> listing every short series.</summary>
    Error,
}
