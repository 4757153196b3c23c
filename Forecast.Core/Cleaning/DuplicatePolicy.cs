namespace Forecast.Core.Cleaning;

/// <summary>What to do with several rows of one series at the same timestamp.</summary>
public enum DuplicatePolicy
{
    /// <summary>Fail with a <see cref="Data.DataException"/> naming the series and the timestamps.</summary>
    Error,
    /// <summary>Keep one row with the mean of the non-missing values.</summary>
    Mean,
    /// <summary>Keep one row with the sum of the non-missing values.</summary>
    Sum,
    /// <summary>Keep the row that came last in the file.</summary>
    Last,
}
