using System.Text.Json;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Support;

/// <summary>
/// Paths of the copied reference fixtures (tests/Chronos.Tests/Fixtures, see its NOTICE), and what the tests take from
/// them instead of constants: series names, horizons and quantile levels, so that another golden set (other series,
/// seeds, horizons) runs through the same tests.
/// </summary>
internal static class Fixtures
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string SetA(params string[] parts) => Path.Combine([Root, "set-a", .. parts]);

    public static string Dummy(params string[] parts) => Path.Combine([Root, "dummy-models", .. parts]);

    public static JsonElement SetASummary { get; } = JsonDocument.Parse(File.ReadAllText(SetA("summary.json"))).RootElement;

    private static JsonElement DummySummary { get; } = JsonDocument.Parse(File.ReadAllText(Dummy("summary.json"))).RootElement;

    /// <summary>The golden set's series, in summary.json order (the order of its batch files).</summary>
    public static string[] SeriesNames { get; } = [.. SetASummary.GetProperty("series").EnumerateObject().Select(p => p.Name)];

    /// <summary>The series recorded for an official dummy checkpoint (dummy-models/summary.json).</summary>
    public static string[] DummySeriesNames(string model) =>
        [.. DummySummary.GetProperty(model).EnumerateObject().Select(p => p.Name)];

    /// <summary>summary.json → t5.cases.&lt;series&gt;.greedy_min_top2_logit_gap ≥ 1e-3 (see <see cref="SeriesAttribute"/>).</summary>
    public static bool HasComfortableGreedyGap(string series) =>
        SetASummary.GetProperty("t5").GetProperty("cases").GetProperty(series).GetProperty("greedy_min_top2_logit_gap").GetDouble() >= 1e-3;

    /// <summary>The horizon a golden forecast was made for: its last dimension.</summary>
    public static int Horizon(IReadOnlyDictionary<string, Tensor> golden, string key) => (int)golden[key].shape[^1];

    /// <summary>
    /// The golden tensor whose name starts with <paramref name="prefix"/> and the levels its name encodes
    /// (<c>quantiles_0_05_0_1_0_95</c> → 0.05, 0.1, 0.95: each level written with "_" for ".").
    /// </summary>
    public static (string Key, float[] Levels) QuantileKey(IReadOnlyDictionary<string, Tensor> golden, string prefix)
    {
        var key = golden.Keys.Single(k => k.StartsWith(prefix, StringComparison.Ordinal));
        var parts = key[prefix.Length..].Split('_');
        var levels = Enumerable.Range(0, parts.Length / 2)
            .Select(i => float.Parse($"{parts[2 * i]}.{parts[2 * i + 1]}", System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        return (key, levels);
    }
}
