using Forecast.Core.Models;
using Forecast.Trainer.Configuration;
using Forecast.Trainer.Models;
using Forecast.Trainer.Telemetry;

namespace Forecast.Trainer.Auto;

/// <summary>
/// <c>model: auto</c> — reads <c>model.auto</c>: the candidates (each configured by its own <c>model.&lt;name&gt;</c>
/// section, through the <see cref="ModelCatalog"/>), the backtest, the metric and the ensembles. An unknown candidate is
/// a config error naming <c>model.auto.candidates</c>. Every key and default is in docs/configuration.md.
/// </summary>
public sealed class AutoModelFactory : IModelFactory
{
    public const string ModelName = "auto";

    public string Name => ModelName;

    public ModelDescription Describe() =>
        new(Name, "Per series, the best of several models or an ensemble of them, chosen by a rolling-origin backtest before the holdout (model.auto).", []);

    /// <summary>auto is built from other models: without the catalog of the config's model: section it cannot be read.</summary>
    public Func<ModelContext, IForecaster> Configure(ConfigSection options)
    {
        options.Problem("candidates", "model: auto needs the other models of the config; load it through ConfigLoader.");
        return _ => throw new InvalidOperationException("The model configuration is invalid.");
    }

    public Func<ModelContext, IForecaster> Configure(ConfigSection options, ModelCatalog models)
    {
        var candidateNames = ReadCandidates(options, models, out var builds);
        var metric = options.Enum("metric", SelectionMetric.Mase);
        int windows = options.Int("windows", 4, min: 1, max: 1000);
        int? step = options.OptionalInt("step", null, min: 1);
        var ensembles = ReadEnsembles(options);
        int topK = options.Int("top_k", 3, min: 2, max: 100);
        int ensembleSize = options.Int("ensemble_size", 100, min: 1, max: 10_000);
        var selection = options.Enum("selection", SelectionScope.PerSeries);
        double shrinkage = options.Double("shrinkage", AutoSettings.DefaultShrinkage, 0, 1000);
        int? seasonLength = options.OptionalInt("season_length", null, min: 1);
        int? minHistory = options.OptionalInt("min_history", null, min: 1);
        int? maxHistory = options.OptionalInt("max_history", null, min: 1);
        bool reuseForms = options.Bool("reuse_forms", AutoSettings.DefaultReuseForms);
        var quantiles = options.Enum("quantiles", AutoSettings.DefaultQuantiles);
        bool refit = options.Bool("refit", AutoSettings.DefaultRefit);
        var calibration = options.Enum("calibration", AutoSettings.DefaultCalibration);
        bool warmStart = options.Bool("warm_start", AutoSettings.DefaultWarmStart);
        options.Finish();

        var settings = new AutoSettings(candidateNames, metric, windows, step, ensembles, topK, ensembleSize, selection, seasonLength, minHistory,
            maxHistory, shrinkage, reuseForms, quantiles, refit, calibration, warmStart);
        return context =>
        {
            var models = builds.Select(build => Prepared(build(context), reuseForms, refit, warmStart)).ToList();
            var filters = refit ? null : models.Select(m => m is StatisticalForecaster statistical ? statistical.Filtering() : m).ToList();
            return new AutoForecaster(settings, [.. models.Select(TrainerTelemetry.Instrument)], filters?.Select(TrainerTelemetry.Instrument).ToList());
        };
    }

    /// <summary>
    /// A classical candidate that searches each series' form once, on its earliest backtest window (the backtest runs
    /// windows in time order), and, without refitting, remembers that first fit for the later windows to filter with;
    /// with warm starts, each re-estimation starts from the series' previous one.
    /// </summary>
    private static IForecaster Prepared(IForecaster candidate, bool reuseForms, bool refit, bool warmStart) => candidate switch
    {
        StatisticalForecaster statistical when reuseForms => statistical.WithFormsChosenOnce(keepFirstFits: !refit, warmStart),
        StatisticalForecaster statistical when !refit => statistical.RememberingFirstFits(),
        _ => candidate,
    };

    private static List<string> ReadCandidates(ConfigSection options, ModelCatalog models, out List<Func<ModelContext, IForecaster>> builds)
    {
        bool given = options.Has("candidates");
        var defaults = AutoSettings.DefaultCandidates.Where(n => models.Names.Contains(n)).ToList();
        if (models.HasSection("chronos")) defaults.Add("chronos"); // a configured checkpoint makes Chronos a candidate
        var names = options.StringList("candidates", defaults);
        builds = [];
        var accepted = new List<string>();
        var known = string.Join(", ", models.Names.Where(n => n != ModelName));
        foreach (string name in names)
        {
            if (accepted.Contains(name))
            {
                options.Problem("candidates", $"'{name}' is listed twice; list each candidate once.");
                continue;
            }
            var build = name == ModelName ? null : models.Configure(name);
            if (build is null)
            {
                options.Problem("candidates", $"unknown candidate '{name}'; known models: {known}.");
                continue;
            }
            accepted.Add(name);
            builds.Add(build);
        }
        if (given && names.Count == 0) options.Problem("candidates", $"lists no model; give at least one of {known}.");
        return accepted;
    }

    private static List<EnsembleKind> ReadEnsembles(ConfigSection options)
    {
        var defaults = AutoSettings.DefaultEnsembles.Select(e => ConfigSection.SnakeCase(e.ToString())).ToList();
        var names = options.StringList("ensembles", defaults);
        var result = new List<EnsembleKind>();
        foreach (string name in names)
        {
            var kind = Enum.GetValues<EnsembleKind>().Where(k => ConfigSection.SnakeCase(k.ToString()) == name).Select(k => (EnsembleKind?)k).FirstOrDefault();
            if (kind is null)
                options.Problem("ensembles", $"unknown ensemble '{name}'; known ensembles: {string.Join(", ", defaults)} (or [] for none).");
            else if (!result.Contains(kind.Value))
                result.Add(kind.Value);
        }
        return result;
    }
}
