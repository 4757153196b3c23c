using Forecast.Trainer.Configuration;

namespace Forecast.Trainer.Tests.Configuration;

/// <summary>docs/configuration.md must document every key the loader reads, with its default.</summary>
public class ConfigurationDocsTests
{
    [Fact]
    public void EveryResolvedKeyIsDocumented()
    {
        string docs = File.ReadAllText(TrainerRun.FixturePath("configuration.md"));
        // Resolve a config that selects every baseline's section so their keys are read too.
        var config = ConfigLoader.Parse("""
            data: { path: a.csv }
            evaluation: { horizon: 3 }
            model: { name: naive, naive: {}, seasonal_naive: {}, mean: {} }
            """, "docs.yaml", []);

        var keys = Keys(config.Resolved, "").ToList();
        keys.Should().Contain(["run.output", "cleaning.fill_missing", "model.seasonal_naive.season_length", "plots.history_points"]);
        var undocumented = keys.Where(key => !docs.Contains($"`{key}`", StringComparison.Ordinal)).ToList();

        undocumented.Should().BeEmpty("docs/configuration.md lists every key as `section.key`");
    }

    private static IEnumerable<string> Keys(IReadOnlyDictionary<string, object?> section, string prefix)
    {
        foreach (var (key, value) in section)
        {
            string path = prefix.Length == 0 ? key : $"{prefix}.{key}";
            if (value is IReadOnlyDictionary<string, object?> child) foreach (var nested in Keys(child, path)) yield return nested;
            else yield return path;
        }
    }
}
