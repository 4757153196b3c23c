namespace Forecast.Core.Eda;

/// <summary>The report (eda.yaml) and the plots (eda/*.png) of one analysis.</summary>
public sealed record EdaResult(EdaReport Report, IReadOnlyList<EdaPlot> Plots);
