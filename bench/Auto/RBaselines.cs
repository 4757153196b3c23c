using System.Globalization;

namespace Forecast.Auto.Bench;

/// <summary>
/// The R forecast 8.20 / prophet 1.0 baselines of the shared data (baselines/summary.csv) and the series each was
/// scored on (baselines/&lt;dataset&gt;.csv: all series, or an evenly spaced subset for the M4 sets).
/// </summary>
internal sealed record RBaselines(IReadOnlyDictionary<string, (double Mase, double Wql)> Methods, IReadOnlyList<string> SeriesIds)
{
    public static RBaselines Read(string dataFolder, string dataset)
    {
        var methods = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        var summary = File.ReadAllLines(Path.Combine(dataFolder, "baselines", "summary.csv"));
        var header = summary[0].Split(',');
        int method = Array.IndexOf(header, "method"), mase = Array.IndexOf(header, "MASE"), wql = Array.IndexOf(header, "WQL");
        foreach (var fields in summary.Skip(1).Select(l => l.Split(',')).Where(f => f[0] == dataset))
            methods[fields[method]] = (double.Parse(fields[mase], CultureInfo.InvariantCulture), double.Parse(fields[wql], CultureInfo.InvariantCulture));

        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(Path.Combine(dataFolder, "baselines", dataset + ".csv")).Skip(1))
        {
            string id = line[..line.IndexOf(',')].Trim('"');
            if (seen.Add(id)) ids.Add(id);
        }
        return new RBaselines(methods, ids);
    }

    /// <summary>The single method with the lowest value of a metric (seasonal naive included).</summary>
    public (string Method, double Value) Best(Func<(double Mase, double Wql), double> metric) =>
        Methods.Select(m => (m.Key, metric(m.Value))).MinBy(m => m.Item2);
}
