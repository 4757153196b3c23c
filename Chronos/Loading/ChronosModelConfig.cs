using System.Text.Json;
using Forecast.Chronos.Bolt;
using Forecast.Chronos.ChronosT5;
using Forecast.Chronos.T5;

namespace Forecast.Chronos.Loading;

/// <summary>
/// A checkpoint's config.json as the pipelines need it: the HF T5Config fields, the model family (from
/// <c>chronos_pipeline_class</c>, default ChronosPipeline, and <c>architectures[0]</c>) and its chronos_config.
/// Errors name the file and the field.
/// </summary>
public sealed record ChronosModelConfig(string Path, ChronosModelKind Kind, string Architecture, T5Config T5,
    ChronosConfig? Chronos, ChronosBoltConfig? Bolt)
{
    private static readonly Dictionary<string, ChronosModelKind> Architectures = new(StringComparer.Ordinal)
    {
        ["T5ForConditionalGeneration"] = ChronosModelKind.T5,
        ["ChronosBoltModelForForecasting"] = ChronosModelKind.Bolt,
    };

    public static ChronosModelConfig Read(string path)
    {
        return Parse(ConfigJsonFields.ReadRoot(path, "Chronos"), path);
    }

    public static ChronosModelConfig Parse(JsonElement root, string path)
    {
        if (!root.TryGetProperty("chronos_config", out var chronos) || chronos.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: no chronos_config object — not a Chronos config file.");
        var architecture = root.TryGetProperty("architectures", out var list) && list.ValueKind == JsonValueKind.Array
            && list.GetArrayLength() > 0 ? list[0].GetString() ?? "" : "";
        var pipelineClass = root.TryGetProperty("chronos_pipeline_class", out var cls) ? cls.GetString() : "ChronosPipeline";
        if (architecture == "Chronos2Model" || pipelineClass == "Chronos2Pipeline")
            throw new NotSupportedException($"{path}: Chronos-2 checkpoints (architectures[0] = {architecture}) are not supported by ChronosPretrained; load them with Chronos2Pretrained.Load (namespace Forecast.Chronos.Chronos2).");
        if (!Architectures.TryGetValue(architecture, out var kind))
            throw new InvalidDataException(
                $"{path}: unknown architecture '{architecture}' in architectures[0]; supported: {string.Join(", ", Architectures.Keys)}.");
        var expected = kind == ChronosModelKind.Bolt ? "ChronosBoltPipeline" : "ChronosPipeline";
        if (pipelineClass != expected)
            throw new InvalidDataException(
                $"{path}: chronos_pipeline_class '{pipelineClass}' does not match architectures[0] '{architecture}' (expected {expected}).");

        var reader = new ConfigJsonFields(root, path);
        var t5 = new T5Config
        {
            VocabSize = reader.Int("vocab_size", 32128),
            DModel = reader.Int("d_model", 512),
            DKv = reader.Int("d_kv", 64),
            DFf = reader.Int("d_ff", 2048),
            NumLayers = reader.Int("num_layers", 6),
            NumDecoderLayers = reader.Int("num_decoder_layers", reader.Int("num_layers", 6)),
            NumHeads = reader.Int("num_heads", 8),
            RelativeAttentionNumBuckets = reader.Int("relative_attention_num_buckets", 32),
            RelativeAttentionMaxDistance = reader.Int("relative_attention_max_distance", 128),
            LayerNormEpsilon = reader.Double("layer_norm_epsilon", 1e-6),
            DropoutRate = reader.Double("dropout_rate", 0.1),
            FeedForwardProj = reader.String("feed_forward_proj", "relu"),
            TieWordEmbeddings = reader.Bool("tie_word_embeddings", true),
            DecoderStartTokenId = reader.Int("decoder_start_token_id", 0),
            PadTokenId = reader.Int("pad_token_id", 0),
            EosTokenId = reader.Int("eos_token_id", 1),
        };
        Wrap(path, t5.Validate);

        var chronosReader = new ConfigJsonFields(chronos, path, "chronos_config.");
        if (kind == ChronosModelKind.Bolt)
        {
            var bolt = new ChronosBoltConfig
            {
                ContextLength = chronosReader.Int("context_length", 2048),
                PredictionLength = chronosReader.Int("prediction_length", 64),
                InputPatchSize = chronosReader.Int("input_patch_size", 16),
                InputPatchStride = chronosReader.Int("input_patch_stride", 16),
                Quantiles = chronosReader.Floats("quantiles") ?? [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f],
                UseRegToken = chronosReader.Bool("use_reg_token", false),
            };
            Wrap(path, bolt.Validate);
            return new ChronosModelConfig(path, kind, architecture, t5, null, bolt);
        }

        var kwargs = chronos.TryGetProperty("tokenizer_kwargs", out var k) ? new ConfigJsonFields(k, path, "chronos_config.tokenizer_kwargs.") : null;
        var config = new ChronosConfig
        {
            TokenizerClass = chronosReader.String("tokenizer_class", "MeanScaleUniformBins"),
            LowLimit = kwargs?.Double("low_limit", -15.0) ?? -15.0,
            HighLimit = kwargs?.Double("high_limit", 15.0) ?? 15.0,
            NTokens = chronosReader.Int("n_tokens", 4096),
            NSpecialTokens = chronosReader.Int("n_special_tokens", 2),
            PadTokenId = chronosReader.Int("pad_token_id", 0),
            EosTokenId = chronosReader.Int("eos_token_id", 1),
            UseEosToken = chronosReader.Bool("use_eos_token", true),
            ModelType = chronosReader.String("model_type", "seq2seq"),
            ContextLength = chronosReader.Int("context_length", 512),
            PredictionLength = chronosReader.Int("prediction_length", 64),
            NumSamples = chronosReader.Int("num_samples", 20),
            Temperature = chronosReader.Double("temperature", 1.0),
            TopK = chronosReader.Int("top_k", 50),
            TopP = chronosReader.Double("top_p", 1.0),
        };
        Wrap(path, config.Validate);
        return new ChronosModelConfig(path, kind, architecture, t5, config, null);
    }

    private static void Wrap(string path, Action validate)
    {
        try
        {
            validate();
        }
        catch (ArgumentException error)
        {
            throw new InvalidDataException($"{path}: {error.Message}", error);
        }
    }
}
