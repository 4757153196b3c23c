using Forecast.Trainer.Configuration;

namespace Forecast.Trainer.Tests.Models;

/// <summary>docs/configuration.md documents every key of model.prophet and model.chronos, as the loader resolves them.</summary>
public class ModelConfigurationDocsTests
{
    [Fact]
    public void EveryProphetAndChronosKeyIsDocumented()
    {
        string docs = File.ReadAllText(TrainerRun.FixturePath("configuration.md"));
        var config = ConfigLoader.Parse($$"""
            data: { path: a.csv }
            evaluation: { horizon: 3 }
            model:
              name: prophet
              prophet: {}
              chronos: { variant: chronos2, checkpoint: {{TrainerRun.FixturePath(Path.Combine("models", "dummy-chronos2-model"))}} }
            """, "docs.yaml", []);

        var model = (IReadOnlyDictionary<string, object?>)config.Resolved["model"]!;
        var keys = Keys(model, "model").ToList();
        keys.Should().Contain(["model.prophet.growth", "model.prophet.holidays.country", "model.chronos.fine_tune.steps", "model.chronos.groups.by"]);
        keys.Where(key => !docs.Contains($"`{key}`", StringComparison.Ordinal)).Should().BeEmpty();
    }

    private static IEnumerable<string> Keys(IReadOnlyDictionary<string, object?> section, string prefix)
    {
        foreach (var (key, value) in section)
        {
            string path = $"{prefix}.{key}";
            if (value is IReadOnlyDictionary<string, object?> child) foreach (var nested in Keys(child, path)) yield return nested;
            else yield return path;
        }
    }
}
