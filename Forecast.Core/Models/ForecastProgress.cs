namespace Forecast.Core.Models;

/// <summary>Progress of a batch: how many of the series are done.</summary>
public readonly record struct ForecastProgress(int Completed, int Total, string Stage);
