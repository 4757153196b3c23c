using Forecast.Core.Models;
using Forecast.Trainer.Configuration;

namespace Forecast.Trainer.Models;

/// <summary>
/// <c>model: chronos</c> — reads <c>model.chronos</c>: the variant (bolt | t5 | chronos2), the checkpoint (a folder,
/// an s3:// prefix read through the platform's storage, or a hub id), inference settings, Chronos-2's covariates and
/// groups, and the <c>fine_tune</c> section. Every key and default is in docs/configuration.md.
/// </summary>
public sealed class ChronosModelFactory : IModelFactory
{
    public const string ModelName = "chronos";

    public string Name => ModelName;

    /// <summary>
    /// The variants, each with the shipped offline test checkpoint (models/, relative to the Trainer's working
    /// directory: the repository root) and the official checkpoints on the Hugging Face hub.
    /// </summary>
    public ModelDescription Describe() => new(Name, "Amazon Chronos through TorchSharp: pretrained, zero-shot forecasts (model.chronos).",
    [
        new("bolt", "Chronos-Bolt: patches, direct quantiles; the fastest.",
        [
            Shipped("models/dummy-chronos-bolt-model"),
            Hub("amazon/chronos-bolt-tiny", "9M parameters"), Hub("amazon/chronos-bolt-mini", "21M parameters"),
            Hub("amazon/chronos-bolt-small", "48M parameters"), Hub("amazon/chronos-bolt-base", "205M parameters"),
        ]),
        new("t5", "Chronos-T5: tokenised values, sampled paths.",
        [
            Shipped("models/dummy-chronos-model"),
            Hub("amazon/chronos-t5-tiny", "8M parameters"), Hub("amazon/chronos-t5-mini", "20M parameters"),
            Hub("amazon/chronos-t5-small", "46M parameters"), Hub("amazon/chronos-t5-base", "200M parameters"),
            Hub("amazon/chronos-t5-large", "710M parameters"),
        ]),
        new("chronos2", "Chronos-2: groups of related series and covariates, 21 quantiles.",
        [
            Shipped("models/dummy-chronos2-model"),
            Hub("amazon/chronos-2", "120M parameters"), Hub("autogluon/chronos-2-small", "28M parameters"),
        ]),
    ]);

    private static ModelCheckpointDescription Shipped(string folder) =>
        new(folder, "the repository's tiny offline test checkpoint (random weights: runs anywhere, forecasts are meaningless)");

    private static ModelCheckpointDescription Hub(string id, string size) =>
        new(id, $"official, on the Hugging Face hub ({size}); downloaded once into the HF cache");

    public Func<ModelContext, IForecaster> Configure(ConfigSection options)
    {
        var variant = options.Enum("variant", ChronosVariant.Bolt);
        string checkpoint = options.RequiredString("checkpoint",
            "give a checkpoint folder, an s3:// prefix or a hub id such as amazon/chronos-bolt-small.");
        if (checkpoint.Length > 0 && ChronosCheckpointReference.Check(checkpoint, variant) is { } problem)
            options.Problem("checkpoint", problem);
        // chronos_bolt.py / chronos2 pipelines default to batch_size 256; chronos.py generates 16 series × num_samples rows.
        int batchSize = options.Int("batch_size", variant == ChronosVariant.T5 ? 16 : 256, min: 1, max: 100_000);
        int? numSamples = options.OptionalInt("num_samples", null, min: 1, max: 10_000);
        if (numSamples is not null && variant != ChronosVariant.T5)
            options.Problem("num_samples", "applies to variant t5 only (Bolt and Chronos-2 predict quantiles directly); remove it.");
        int? threads = options.OptionalInt("threads", null, min: 1, max: 1024);
        var dtype = options.Enum("dtype", ChronosDType.Float32);
        var pastCovariates = options.StringList("past_covariates", []);
        if (pastCovariates.Count > 0 && variant != ChronosVariant.Chronos2)
            options.Problem("past_covariates", "covariates need variant chronos2; Bolt and T5 are univariate.");
        var futureCovariates = options.StringList("future_covariates", []);
        if (futureCovariates.Count > 0 && variant != ChronosVariant.Chronos2)
            options.Problem("future_covariates", "covariates need variant chronos2; Bolt and T5 are univariate.");
        foreach (string column in futureCovariates.Intersect(pastCovariates, StringComparer.Ordinal))
            options.Problem("future_covariates", $"'{column}' is also under past_covariates; list a covariate known ahead under future_covariates only.");
        var groups = options.Section("groups");
        var grouping = groups.Enum("by", ChronosGrouping.None);
        string separator = groups.String("separator", "_");
        if (separator.Length == 0) groups.Problem("separator", "must not be empty.");
        groups.Finish();
        if (grouping != ChronosGrouping.None && variant != ChronosVariant.Chronos2)
            groups.Problem("by", "groups of related series need variant chronos2.");
        var fineTuneSection = options.Section("fine_tune");
        var fineTune = ReadFineTune(fineTuneSection);
        if (fineTune.Mode == ChronosFineTuneMode.Lora && variant != ChronosVariant.Chronos2)
            fineTuneSection.Problem("mode", "lora fine-tuning needs variant chronos2 (as the reference's Chronos2Pipeline.fit).");
        options.Finish();

        return context => new ChronosForecaster(
            new ChronosSettings(variant, checkpoint, batchSize, numSamples, threads, dtype,
                context.FineTuning is { } flag ? fineTune with { Enabled = flag } : fineTune, // the FineTuning flag, when defined, wins
                pastCovariates, grouping, separator, context.Seed) { FutureCovariates = futureCovariates },
            context.Locations);
    }

    /// <summary>Defaults follow Forecast.Chronos.FineTuning.FineTuneOptions (train.py's AdamW lr 1e-3, warm-up, min_past 60).</summary>
    private static ChronosFineTuneSettings ReadFineTune(ConfigSection s)
    {
        var settings = new ChronosFineTuneSettings(
            Enabled: s.Bool("enabled", false),
            Steps: s.Int("steps", 1000, min: 1, max: 10_000_000),
            LearningRate: s.Double("lr", 1e-3, double.Epsilon, 10),
            WarmupRatio: s.Double("warmup_ratio", 0, 0, 1),
            BatchSize: s.Int("batch_size", 32, min: 1, max: 100_000),
            ContextLength: s.OptionalInt("context_length", null, min: 1),
            MinPast: s.Int("min_past", 60, min: 1),
            ValidationInterval: s.Int("validation_interval", 100, min: 0),
            EarlyStoppingPatience: s.Int("early_stopping_patience", 3, min: 0),
            Save: s.Bool("save", true))
        {
            Mode = s.Enum("mode", ChronosFineTuneMode.Full),
        };
        var lora = s.Section("lora");
        var defaults = new Forecast.Chronos.Lora.LoraConfig();
        settings = settings with
        {
            Lora = new Forecast.Chronos.Lora.LoraConfig
            {
                R = lora.Int("r", defaults.R, min: 1, max: 4096),
                Alpha = lora.Double("alpha", defaults.Alpha, double.Epsilon, 1e6),
                Dropout = lora.Double("dropout", 0, 0, 0.99),
                TargetModules = lora.StringList("target_modules", defaults.TargetModules),
            },
        };
        lora.Finish();
        s.Finish();
        return settings;
    }
}
