namespace Forecast.Core.Eda;

/// <summary>One EDA plot of series <paramref name="SeriesId"/>: the file <see cref="Name"/> = <paramref name="BaseName"/> + <paramref name="Suffix"/>, as PNG bytes.</summary>
public sealed record EdaPlot(string SeriesId, string BaseName, string Suffix, byte[] Png)
{
    public string Name => BaseName + Suffix;
}
