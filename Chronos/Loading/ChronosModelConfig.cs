using Forecast.Chronos.Bolt;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.ChronosT5;
using Forecast.Chronos.T5;

namespace Forecast.Chronos.Loading;

/// <summary>
/// A Chronos-T5/Bolt checkpoint's config.json as the pipelines need it: the T5 stack settings and the family's
/// chronos_config, taken from the one config.json reader (<see cref="ChronosCheckpointConfig"/>: family from
/// architectures[0] and chronos_pipeline_class, T5Config defaults, every chronos_config field the reference dataclass
/// requires). Errors name the file and the field.
/// </summary>
public sealed record ChronosModelConfig(string Path, ChronosModelKind Kind, string Architecture, T5Config T5,
    ChronosConfig? Chronos, ChronosBoltConfig? Bolt)
{
    public static ChronosModelConfig Read(string path) => From(ChronosCheckpointConfig.Read(path));

    public static ChronosModelConfig From(ChronosCheckpointConfig checkpoint)
    {
        var path = checkpoint.Path;
        var architecture = checkpoint.Architectures.Count > 0 ? checkpoint.Architectures[0] : "T5ForConditionalGeneration";
        var kind = checkpoint.Family switch
        {
            ChronosModelFamily.ChronosT5 => ChronosModelKind.T5,
            ChronosModelFamily.ChronosBolt => ChronosModelKind.Bolt,
            _ => throw new NotSupportedException(
                $"{path}: Chronos-2 checkpoints (architectures[0] = {architecture}) are not supported by ChronosPretrained; load them with Chronos2Pretrained.Load (namespace Forecast.Chronos.Chronos2)."),
        };
        var t5 = new T5Config
        {
            VocabSize = checkpoint.VocabSize,
            DModel = checkpoint.DModel,
            DKv = checkpoint.DKv,
            DFf = checkpoint.DFf,
            NumLayers = checkpoint.NumLayers,
            NumDecoderLayers = checkpoint.NumDecoderLayers,
            NumHeads = checkpoint.NumHeads,
            RelativeAttentionNumBuckets = checkpoint.RelativeAttentionNumBuckets,
            RelativeAttentionMaxDistance = checkpoint.RelativeAttentionMaxDistance,
            LayerNormEpsilon = checkpoint.LayerNormEpsilon,
            DropoutRate = checkpoint.DropoutRate,
            FeedForwardProj = checkpoint.FeedForwardProj,
            TieWordEmbeddings = checkpoint.TieWordEmbeddings,
            // T5Config: decoder_start_token_id is the pad token when absent; eos 1 by default.
            DecoderStartTokenId = checkpoint.DecoderStartTokenId ?? 0,
            PadTokenId = checkpoint.PadTokenId,
            EosTokenId = checkpoint.EosTokenId ?? 1,
        };
        Validated(path, t5.Validate);

        if (checkpoint.Bolt is { } boltSettings)
        {
            var bolt = new ChronosBoltConfig
            {
                ContextLength = boltSettings.ContextLength,
                PredictionLength = boltSettings.PredictionLength,
                InputPatchSize = boltSettings.InputPatchSize,
                InputPatchStride = boltSettings.InputPatchStride,
                Quantiles = [.. boltSettings.Quantiles.Select(q => (float)q)],
                UseRegToken = boltSettings.UseRegToken,
            };
            Validated(path, bolt.Validate);
            return new ChronosModelConfig(path, kind, architecture, t5, null, bolt);
        }

        var settings = checkpoint.ChronosT5!;
        var config = new ChronosConfig
        {
            TokenizerClass = settings.TokenizerClass,
            LowLimit = settings.LowLimit,
            HighLimit = settings.HighLimit,
            NTokens = settings.NTokens,
            NSpecialTokens = settings.NSpecialTokens,
            PadTokenId = settings.PadTokenId,
            EosTokenId = settings.EosTokenId,
            UseEosToken = settings.UseEosToken,
            ModelType = settings.ModelType,
            ContextLength = settings.ContextLength,
            PredictionLength = settings.PredictionLength,
            NumSamples = settings.NumSamples,
            Temperature = settings.Temperature,
            TopK = settings.TopK,
            TopP = settings.TopP,
        };
        Validated(path, config.Validate);
        return new ChronosModelConfig(path, kind, architecture, t5, config, null);
    }

    /// <summary>The pipelines' own checks (ArgumentException) as an error naming the file.</summary>
    internal static void Validated(string path, Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException error)
        {
            throw new CheckpointConfigException(path, error.Message, error);
        }
    }
}
