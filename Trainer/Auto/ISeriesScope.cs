using Forecast.Core.Series;

namespace Forecast.Trainer.Auto;

/// <summary>
/// A candidate of <c>model: auto</c> that applies to some series only — MSTL to series with two full periods of at
/// least two of its season lengths. Auto does not ask it for the others: it is not available to them, which is no
/// failure (selection.csv notes nothing).
/// </summary>
public interface ISeriesScope
{
    /// <summary>Why the candidate does not apply to <paramref name="history"/>, or null when it does.</summary>
    string? Excludes(TimeSeries history);
}
