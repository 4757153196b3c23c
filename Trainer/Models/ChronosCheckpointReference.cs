using System.Text.RegularExpressions;
using Forecast.Chronos.Checkpoints;

namespace Forecast.Trainer.Models;

/// <summary>
/// Checks <c>model.chronos.checkpoint</c> when the config is read, so a missing or wrong checkpoint is a config error
/// naming the field instead of a failure mid-run: an existing folder must hold a config.json of the configured
/// variant; s3:// prefixes and hub ids (owner/name[@revision]) are fetched when the run starts.
/// </summary>
public static partial class ChronosCheckpointReference
{
    /// <returns>A problem to report, or null when the reference is usable.</returns>
    public static string? Check(string reference, ChronosVariant variant)
    {
        if (reference.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)) return null;
        if (Directory.Exists(reference))
        {
            string config = Path.Combine(reference, ChronosCheckpointConfig.FileName);
            if (!File.Exists(config))
                return $"folder '{reference}' has no config.json; point it at a checkpoint folder (config.json + model.safetensors), such as a save_pretrained output.";
            try
            {
                // config.json, the safetensors headers (truncation, offsets past the end) and the shapes against
                // config.json, all before any tensor exists: a damaged checkpoint is a config error, not a crash mid-run.
                var family = CheckpointPreflight.Check(reference).Family;
                var expected = FamilyOf(variant);
                if (family != expected)
                    return $"'{reference}' is a {family} checkpoint but variant is {ConfigNameOf(variant)}; set variant to {ConfigNameOf(VariantOf(family))} or use a {expected} checkpoint.";
            }
            catch (CheckpointException e)
            {
                return $"'{reference}' is not a usable checkpoint: {e.Message}";
            }
            catch (FileNotFoundException e)
            {
                return $"'{reference}' is not a usable checkpoint: {e.Message}";
            }
            return null;
        }
        if (HubId().IsMatch(reference) && !reference.StartsWith('.')) return null;
        return $"'{reference}' is neither an existing checkpoint folder, an s3:// prefix nor a hub id such as amazon/chronos-bolt-small.";
    }

    public static ChronosModelFamily FamilyOf(ChronosVariant variant) => variant switch
    {
        ChronosVariant.Bolt => ChronosModelFamily.ChronosBolt,
        ChronosVariant.T5 => ChronosModelFamily.ChronosT5,
        _ => ChronosModelFamily.Chronos2,
    };

    private static ChronosVariant VariantOf(ChronosModelFamily family) => family switch
    {
        ChronosModelFamily.ChronosBolt => ChronosVariant.Bolt,
        ChronosModelFamily.ChronosT5 => ChronosVariant.T5,
        _ => ChronosVariant.Chronos2,
    };

    public static string ConfigNameOf(ChronosVariant variant) => variant switch
    {
        ChronosVariant.Bolt => "bolt",
        ChronosVariant.T5 => "t5",
        _ => "chronos2",
    };

    /// <summary>huggingface_hub's repo id: owner/name, optionally @revision.</summary>
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*(@[A-Za-z0-9._/-]+)?$")]
    private static partial Regex HubId();
}
