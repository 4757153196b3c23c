using Forecast.Trainer.Configuration;

namespace Forecast.Trainer.Tests.Models;

/// <summary>docs/configuration.md documents every key of model.prophet, model.chronos, model.mstl and model.auto, as the loader resolves them.</summary>
public class ModelConfigurationDocsTests
{
    [Fact]
    public void EveryProphetChronosAndAutoKeyIsDocumented()
    {
        string docs = File.ReadAllText(TrainerRun.FixturePath("configuration.md"));
        var config = ConfigLoader.Parse($$"""
            data: { path: a.csv }
            evaluation: { horizon: 3 }
            model:
              name: prophet
              prophet: { regressors: { promo: {} } }
              auto: { candidates: [seasonal_naive, prophet, mstl] }
              chronos: { variant: chronos2, future_covariates: [promo], checkpoint: {{TrainerRun.FixturePath(Path.Combine("models", "dummy-chronos2-model"))}} }
            """, "docs.yaml", []);

        var model = (IReadOnlyDictionary<string, object?>)config.Resolved["model"]!;
        // Named entries (regressors.<name>) are documented under their placeholder.
        var keys = Keys(model, "model").Select(k => k.Replace(".regressors.promo.", ".regressors.<name>.", StringComparison.Ordinal)).ToList();
        keys.Should().Contain(["model.prophet.growth", "model.prophet.holidays.country", "model.chronos.fine_tune.steps", "model.chronos.groups.by",
            "model.prophet.regressors.<name>.standardize", "model.chronos.future_covariates", "model.auto.candidates", "model.auto.min_history", "model.mstl.season_lengths", "model.mstl.min_season_lengths"]);
        var data = (IReadOnlyDictionary<string, object?>)config.Resolved["data"]!;
        keys.AddRange(Keys(data, "data"));
        keys.Should().Contain("data.future_covariates_path");
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
