namespace Forecast.Core.Eda;

/// <summary>A rendered PNG: a relative file name ("AirPassengers.series.png") and its bytes, written by the pipeline's artifact store.</summary>
public sealed record EdaPlot(string Name, byte[] Png);
