using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Forecast.Auto.Bench;

/// <summary>One dataset of the shared data's datasets.yaml: its file, season length m, horizon and series count.</summary>
internal sealed record SharedDataset(string Name, string File, int SeasonLength, int Horizon, int SeriesCount)
{
    public static IReadOnlyList<SharedDataset> Read(string dataFolder)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(dataFolder, "datasets.yaml"))) yaml.Load(reader);
        var datasets = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("datasets")];
        return [.. datasets.Children.Select(entry =>
        {
            var fields = (YamlMappingNode)entry.Value;
            string Scalar(string key) => ((YamlScalarNode)fields.Children[new YamlScalarNode(key)]).Value!;
            return new SharedDataset(((YamlScalarNode)entry.Key).Value!, Path.Combine(dataFolder, Scalar("file")),
                int.Parse(Scalar("season_length"), CultureInfo.InvariantCulture), int.Parse(Scalar("horizon"), CultureInfo.InvariantCulture),
                int.Parse(Scalar("n_series"), CultureInfo.InvariantCulture));
        })];
    }

    /// <summary>Every series of the data file (unique_id → values, in time order).</summary>
    public Dictionary<string, double[]> LoadValues()
    {
        var series = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        foreach (string line in System.IO.File.ReadLines(File).Skip(1))
        {
            var fields = line.Split(',');
            string id = fields[0].Trim('"');
            if (!series.TryGetValue(id, out var values)) series[id] = values = [];
            values.Add(fields[2].Length == 0 || fields[2] == "NA" ? double.NaN : double.Parse(fields[2], CultureInfo.InvariantCulture));
        }
        return series.ToDictionary(s => s.Key, s => s.Value.ToArray(), StringComparer.Ordinal);
    }
}
