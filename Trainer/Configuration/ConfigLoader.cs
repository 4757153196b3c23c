using Forecast.Core.Cleaning;
using Forecast.Core.Data;
using Forecast.Core.Eda;
using Forecast.Core.Models;
using Forecast.Core.Evaluation;
using Forecast.Core.Plots;
using Forecast.Core.Series;
using YamlDotNet.RepresentationModel;

namespace Forecast.Trainer.Configuration;

/// <summary>
/// Loads the Trainer configuration: finds the file (<c>--config</c>, else the FORECAST_CONFIG environment variable),
/// applies <c>--set</c> overrides, binds every section with its defaults and validates it, and throws one
/// <see cref="ConfigException"/> that lists every problem with its line:column.
/// </summary>
public static class ConfigLoader
{
    public const string EnvironmentVariable = "FORECAST_CONFIG";

    /// <summary>The config path: the flag wins over the environment variable; neither is a config error.</summary>
    public static string ResolvePath(string? flag, Func<string, string?>? environment = null)
    {
        if (!string.IsNullOrWhiteSpace(flag)) return flag;
        string? fromEnvironment = (environment ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment;
        throw new ConfigException("command line", "--config",
            $"no configuration given; pass --config <file.yaml> or set {EnvironmentVariable} (try --config config/default-config.yaml).");
    }

    public static TrainerConfig Load(string path, IReadOnlyList<string> overrides, ModelRegistry? registry = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            string why = e is FileNotFoundException or DirectoryNotFoundException
                ? $"the file does not exist (looked for {Path.GetFullPath(path)})"
                : $"the file cannot be read ({e.Message})";
            throw new ConfigException(path, "--config", $"{why}; pass an existing YAML file to --config or {EnvironmentVariable}.");
        }
        return Parse(text, path, overrides, registry);
    }

    /// <summary>Binds configuration text; <paramref name="source"/> names it in messages.</summary>
    public static TrainerConfig Parse(string yaml, string source, IReadOnlyList<string> overrides, ModelRegistry? registry = null)
    {
        var context = new ConfigContext(source);
        var root = ConfigDocument.Parse(yaml, overrides, context);
        if (root is null) throw new ConfigException(context.Problems);
        var config = Bind(new ConfigSection(root, "", context), source, registry ?? ModelRegistry.Default);
        if (context.Problems.Count > 0) throw new ConfigException(context.Problems);
        return config;
    }

    private static TrainerConfig Bind(ConfigSection root, string source, ModelRegistry registry)
    {
        var run = ReadRun(root.Section("run"));
        var data = ReadData(root.Section("data"), root);
        var cleaning = ReadCleaning(root.Section("cleaning"));
        var eda = ReadEda(root.Section("eda"));
        var model = ReadModel(root.Section("model"), root, registry);
        var evaluation = ReadEvaluation(root.Section("evaluation"), root);
        var plots = ReadPlots(root.Section("plots"));
        root.Finish();
        return new TrainerConfig(source, run, data, cleaning, eda, model, evaluation, plots, root.Resolved);
    }

    private static RunOptions ReadRun(ConfigSection s)
    {
        var defaults = new RunOptions();
        var run = new RunOptions
        {
            Name = s.String("name", defaults.Name),
            Output = s.String("output", defaults.Output),
            Seed = s.Int("seed", defaults.Seed, min: 0),
        };
        if (string.IsNullOrWhiteSpace(run.Output)) s.Problem("output", "must name a folder, e.g. output.");
        s.Finish();
        return run;
    }

    private static DataOptions ReadData(ConfigSection s, ConfigSection root)
    {
        if (!s.Exists && !root.Has("data")) root.Problem("data", "is required but missing; add a data: section with at least path: <file.csv>.");
        var defaults = new DataOptions();
        var data = new DataOptions
        {
            Path = s.Exists ? s.RequiredString("path", "set it to a CSV or Parquet file in long format (unique_id, ds, y).") : "",
            Format = s.Enum("format", defaults.Format),
            IdColumn = s.String("id_column", defaults.IdColumn),
            TimeColumn = s.String("time_column", defaults.TimeColumn),
            TargetColumn = s.String("target_column", defaults.TargetColumn),
            Covariates = s.StringList("covariates", defaults.Covariates),
            SeriesId = s.OptionalString("series_id", defaults.SeriesId),
            FutureCovariatesPath = s.OptionalString("future_covariates_path", defaults.FutureCovariatesPath),
        };
        s.Finish();
        return data;
    }

    private static CleaningOptions ReadCleaning(ConfigSection s)
    {
        var defaults = new CleaningOptions();
        Frequency? frequency = null;
        string? alias = s.OptionalString("frequency", null);
        if (alias is not null)
        {
            if (Frequency.TryParse(alias, out var parsed)) frequency = parsed;
            else s.Problem("frequency", $"'{alias}' is not a frequency; use a pandas alias such as 15min, h, D, W, MS, ME, QS, QE, YS or YE, or null to infer it.");
        }
        var cleaning = new CleaningOptions
        {
            Frequency = frequency,
            Duplicates = s.Enum("duplicates", defaults.Duplicates),
            FillMissing = s.Enum("fill_missing", defaults.FillMissing),
            MinLength = s.Int("min_length", defaults.MinLength, min: 1),
            ShortSeries = s.Enum("short_series", defaults.ShortSeries),
        };
        s.Finish();
        return cleaning;
    }

    private static EdaOptions ReadEda(ConfigSection s)
    {
        var defaults = new EdaOptions();
        var eda = new EdaOptions
        {
            Enabled = s.Bool("enabled", defaults.Enabled),
            MaxPlottedSeries = s.Int("max_plotted_series", defaults.MaxPlottedSeries, min: 0),
            MaxLag = s.OptionalInt("max_lag", defaults.MaxLag, min: 1),
            SeasonLength = s.OptionalInt("season_length", defaults.SeasonLength, min: 1),
            PlotWidth = s.Int("plot_width", defaults.PlotWidth, min: 100, max: 10_000),
            PlotHeight = s.Int("plot_height", defaults.PlotHeight, min: 100, max: 10_000),
        };
        s.Finish();
        return eda;
    }

    private static ModelSelection ReadModel(ConfigSection s, ConfigSection root, ModelRegistry registry)
    {
        string known = string.Join(", ", registry.Names);
        if (!s.Exists && !root.Has("model")) root.Problem("model", $"is required but missing; add model: with name: one of {known}.");
        string name = s.Exists ? s.RequiredString("name", $"set it to one of {known}.") : "";
        if (name.Length > 0 && !registry.TryGet(name, out _))
            s.Problem("name", $"unknown model '{name}'; known models: {known}.");

        // Every model option section present is validated (a typo in an unused section is still a typo); a key that
        // names no model is unknown. The catalog reads each section once, also when model: auto asks for a candidate.
        var catalog = new ModelCatalog(s, registry);
        foreach (string key in s.PresentKeys.Where(k => k != "name").ToList())
        {
            if (catalog.Configure(key) is null)
            {
                s.Problem(key, $"unknown key; model takes name and one option section per model ({known}).");
                s.MarkRead(key);
            }
        }
        var create = name.Length > 0 ? catalog.Configure(name) : null; // no section given: the model's defaults
        s.Finish();
        return new ModelSelection(name, create ?? (_ => throw new InvalidOperationException("The model configuration is invalid.")))
        {
            Identity = IdentityOf(name, s.Resolved),
        };
    }

    /// <summary>
    /// name[/variant][@checkpoint] from the resolved model section: any model whose options have <c>variant</c> or
    /// <c>checkpoint</c> keys is told apart by them (Chronos: chronos/bolt@amazon/chronos-bolt-small).
    /// </summary>
    private static ModelIdentity IdentityOf(string name, IReadOnlyDictionary<string, object?> model)
    {
        if (!model.TryGetValue(name, out var section) || section is not IReadOnlyDictionary<string, object?> options) return new ModelIdentity(name);
        return new ModelIdentity(name, options.GetValueOrDefault("variant") as string, options.GetValueOrDefault("checkpoint") as string);
    }

    private static EvaluationOptions ReadEvaluation(ConfigSection s, ConfigSection root)
    {
        if (!s.Exists && !root.Has("evaluation")) root.Problem("evaluation", "is required but missing; add evaluation: with at least horizon: <steps>.");
        var defaults = new EvaluationOptions();
        var mode = s.Enum("mode", defaults.Mode);
        int horizon = s.Exists ? s.RequiredInt("horizon", 1, 100_000, "set the number of steps to forecast, e.g. horizon: 12.") : 1;
        int windows = s.Int("windows", defaults.Windows, min: 1, max: 10_000);
        int? step = s.OptionalInt("step", defaults.Step, min: 1);
        int? seasonLength = s.OptionalInt("season_length", defaults.SeasonLength, min: 1);
        var quantiles = s.DoubleList("quantiles", defaults.Quantiles);
        var metrics = s.StringList("metrics", defaults.Metrics);
        var pointForecast = s.Enum("point_forecast", defaults.PointForecast);

        if (mode == EvaluationMode.Holdout && windows > 1)
            s.Problem("windows", $"is {windows} but mode is holdout (one window); set mode: backtest to use several windows.");
        for (int i = 0; i < quantiles.Count; i++)
        {
            if (!(quantiles[i] > 0 && quantiles[i] < 1))
                s.Problem("quantiles", FormattableString.Invariant($"every level must lie strictly between 0 and 1, got {quantiles[i]}."));
            else if (i > 0 && quantiles[i] <= quantiles[i - 1])
                s.Problem("quantiles", FormattableString.Invariant($"levels must be strictly ascending, but {quantiles[i]} follows {quantiles[i - 1]}."));
        }
        if (pointForecast == PointForecast.Median && !quantiles.Any(q => Math.Abs(q - 0.5) < 1e-12))
            s.Problem("point_forecast", "is median, which needs 0.5 among evaluation.quantiles; add it or use point_forecast: mean.");
        foreach (string metric in metrics.Where(m => !MetricNames.All.Contains(m)))
            s.Problem("metrics", $"unknown metric '{metric}'; known metrics: {string.Join(", ", MetricNames.All)}.");
        s.Finish();
        return new EvaluationOptions
        {
            Mode = mode,
            Horizon = horizon,
            Windows = windows,
            Step = step,
            SeasonLength = seasonLength,
            Quantiles = quantiles,
            Metrics = metrics,
            PointForecast = pointForecast,
        };
    }

    private static PlotOptions ReadPlots(ConfigSection s)
    {
        var defaults = new PlotOptions();
        var render = new ForecastPlotOptions();
        var plots = new PlotOptions
        {
            Enabled = s.Bool("enabled", defaults.Enabled),
            MaxSeries = s.Int("max_series", defaults.MaxSeries, min: 0),
            Render = new ForecastPlotOptions
            {
                Width = s.Int("width", render.Width, min: 100, max: 10_000),
                Height = s.Int("height", render.Height, min: 100, max: 10_000),
                HistoryPoints = s.Int("history_points", render.HistoryPoints, min: 0),
            },
        };
        s.Finish();
        return plots;
    }
}
