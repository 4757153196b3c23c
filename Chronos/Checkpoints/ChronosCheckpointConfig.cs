using System.Text.Json;
using System.Text.Json.Nodes;

namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// A Chronos checkpoint's config.json: the HF T5Config keys the Chronos models use (defaults as
/// transformers models/t5/configuration_t5.py T5Config.__init__), the model family, and the family's
/// <c>chronos_config</c>. Every other key is kept, so <see cref="Write"/> gives back a file Python reads the same
/// way (written as PretrainedConfig.to_json_string: sorted keys, indent 2, Python float repr). Named after the file
/// it reads to stay apart from the pipelines' own config types.
/// </summary>
public sealed class ChronosCheckpointConfig
{
    public const string FileName = "config.json";

    private static readonly Dictionary<string, ChronosModelFamily> ArchitectureFamilies = new(StringComparer.Ordinal)
    {
        ["T5ForConditionalGeneration"] = ChronosModelFamily.ChronosT5,
        ["ChronosBoltModelForForecasting"] = ChronosModelFamily.ChronosBolt,
        ["Chronos2Model"] = ChronosModelFamily.Chronos2,
    };

    /// <summary>chronos-forecasting base.py: the pipeline class named by chronos_pipeline_class (default ChronosPipeline).</summary>
    private static readonly Dictionary<string, ChronosModelFamily> PipelineFamilies = new(StringComparer.Ordinal)
    {
        ["ChronosPipeline"] = ChronosModelFamily.ChronosT5,
        ["ChronosBoltPipeline"] = ChronosModelFamily.ChronosBolt,
        ["Chronos2Pipeline"] = ChronosModelFamily.Chronos2,
    };

    private JsonObject raw = [];

    public string Path { get; private set; } = FileName;

    public ChronosModelFamily Family { get; set; }

    public IReadOnlyList<string> Architectures { get; set; } = [];
    public string? ChronosPipelineClass { get; set; }
    public string ModelType { get; set; } = "t5";
    public int VocabSize { get; set; } = 32128;
    public int DModel { get; set; } = 512;
    public int DKv { get; set; } = 64;
    public int DFf { get; set; } = 2048;
    public int NumLayers { get; set; } = 6;

    /// <summary>T5Config: num_decoder_layers defaults to num_layers (symmetry).</summary>
    public int NumDecoderLayers { get; set; } = 6;
    public int NumHeads { get; set; } = 8;
    public int RelativeAttentionNumBuckets { get; set; } = 32;
    public int RelativeAttentionMaxDistance { get; set; } = 128;
    public double DropoutRate { get; set; } = 0.1;
    public double LayerNormEpsilon { get; set; } = 1e-6;
    public double InitializerFactor { get; set; } = 1.0;

    /// <summary>"relu", "gelu", "gated-gelu", ... (T5Config: "[gated-]{ACT_FN}").</summary>
    public string FeedForwardProj { get; set; } = "relu";
    public int PadTokenId { get; set; }
    public int? EosTokenId { get; set; } = 1;
    public int? DecoderStartTokenId { get; set; }

    /// <summary>PretrainedConfig default true: lm_head shares shared.weight (T5 then scales by d_model^-0.5).</summary>
    public bool TieWordEmbeddings { get; set; } = true;

    /// <summary>
    /// The dtype the checkpoint was saved from ("float32", "bfloat16"). Informational only: it may disagree with the
    /// stored tensors (the chronos T5 test dummy says bfloat16 and stores F32), and from_pretrained without
    /// torch_dtype loads float32 anyway.
    /// </summary>
    public string? TorchDtype { get; set; }

    /// <summary>Bolt / Chronos-2: the id of the REG embedding row of shared.weight.</summary>
    public int? RegTokenId { get; set; }

    /// <summary>Chronos-2: RoPE base.</summary>
    public double? RopeTheta { get; set; }

    public ChronosT5Settings? ChronosT5 { get; set; }
    public ChronosBoltSettings? Bolt { get; set; }
    public Chronos2Settings? Chronos2 { get; set; }

    /// <summary>The transformers version that wrote the file ("4.46.0.dev0"), kept as written; null when absent.</summary>
    public string? TransformersVersion => raw["transformers_version"] is System.Text.Json.Nodes.JsonValue v
        && v.TryGetValue<string>(out var version) ? version : null;

    /// <summary>
    /// generation_config.json as save_pretrained writes it for T5ForConditionalGeneration (GenerationConfig.from_model_config:
    /// the generation keys of config.json plus "_from_model_config": true); null for families without generate().
    /// </summary>
    public string? GenerationConfigJson()
    {
        if (Family != ChronosModelFamily.ChronosT5)
            return null;
        var generation = new JsonObject { ["_from_model_config"] = true };
        if (DecoderStartTokenId is { } start)
            generation["decoder_start_token_id"] = start;
        if (EosTokenId is { } eos)
            generation["eos_token_id"] = eos;
        generation["pad_token_id"] = PadTokenId;
        if (TransformersVersion is { } version)
            generation["transformers_version"] = version;
        return PythonJson.Serialize(generation) + "\n";
    }

    /// <summary>T5Config: act_info = feed_forward_proj.split("-"); gated when it starts with "gated".</summary>
    public bool IsGatedAct => FeedForwardProj.Split('-') is ["gated", _];

    /// <summary>T5Config: the activation after the optional "gated-"; "gated-gelu" maps to "gelu_new" for backwards compatibility.</summary>
    public string DenseActFn => FeedForwardProj == "gated-gelu" ? "gelu_new" : FeedForwardProj.Split('-')[^1];

    public static ChronosCheckpointConfig Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: not found; a Chronos checkpoint folder holds config.json and model.safetensors.", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads <c>config.json</c> from a checkpoint folder.</summary>
    public static ChronosCheckpointConfig ReadFolder(string folder) => Read(System.IO.Path.Combine(folder, FileName));

    public static ChronosCheckpointConfig Parse(string json, string path = FileName)
    {
        JsonNode? node;
        try
        {
            // A duplicate key is a JSON error here (JsonNode would otherwise throw ArgumentException at first access).
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false, AllowDuplicateProperties = false });
        }
        catch (JsonException error)
        {
            throw new CheckpointConfigException(path, $"not valid JSON (line {error.LineNumber + 1}): {error.Message}", error);
        }
        if (node is not JsonObject root)
            throw new CheckpointConfigException(path, "expected a JSON object.");
        var fields = new JsonFields(root, path);
        var config = new ChronosCheckpointConfig { raw = root, Path = path };
        config.Architectures = fields.Strings("architectures") ?? [];
        config.ChronosPipelineClass = fields.String("chronos_pipeline_class");
        config.Family = DetectFamily(config, fields, path);
        config.ModelType = fields.String("model_type") ?? "t5";
        config.VocabSize = fields.Int("vocab_size", 32128);
        config.DModel = fields.Int("d_model", 512);
        config.DKv = fields.Int("d_kv", 64);
        config.DFf = fields.Int("d_ff", 2048);
        config.NumLayers = fields.Int("num_layers", 6);
        config.NumDecoderLayers = fields.Int("num_decoder_layers") ?? config.NumLayers;
        config.NumHeads = fields.Int("num_heads", 8);
        config.RelativeAttentionNumBuckets = fields.Int("relative_attention_num_buckets", 32);
        config.RelativeAttentionMaxDistance = fields.Int("relative_attention_max_distance", 128);
        config.DropoutRate = fields.Double("dropout_rate", 0.1);
        config.LayerNormEpsilon = fields.Double("layer_norm_epsilon", 1e-6);
        config.InitializerFactor = fields.Double("initializer_factor", 1.0);
        config.FeedForwardProj = fields.String("feed_forward_proj") ?? "relu";
        config.PadTokenId = fields.Int("pad_token_id", 0);
        config.EosTokenId = fields.Has("eos_token_id") ? fields.Int("eos_token_id") : 1;
        config.DecoderStartTokenId = fields.Int("decoder_start_token_id");
        config.TieWordEmbeddings = fields.Bool("tie_word_embeddings") ?? true;
        config.TorchDtype = fields.String("torch_dtype");
        config.RegTokenId = fields.Int("reg_token_id");
        config.RopeTheta = fields.Double("rope_theta");
        var chronos = fields.Child("chronos_config")
            ?? throw new CheckpointConfigException(path, "no chronos_config object: this is not a Chronos checkpoint's config.json.");
        switch (config.Family)
        {
            case ChronosModelFamily.ChronosT5:
                config.ChronosT5 = ChronosT5Settings.Parse(chronos);
                break;
            case ChronosModelFamily.ChronosBolt:
                config.Bolt = ChronosBoltSettings.Parse(chronos);
                break;
            default:
                config.Chronos2 = Chronos2Settings.Parse(chronos);
                break;
        }
        config.Validate(fields);
        return config;
    }

    /// <summary>
    /// architectures[0] decides (as transformers picks the model class); without it, chronos_pipeline_class
    /// (base.py from_pretrained, default ChronosPipeline). The two must agree when both are given.
    /// </summary>
    private static ChronosModelFamily DetectFamily(ChronosCheckpointConfig config, JsonFields fields, string path)
    {
        ChronosModelFamily? byPipeline = null;
        if (config.ChronosPipelineClass is { } pipelineClass)
            byPipeline = PipelineFamilies.TryGetValue(pipelineClass, out var f) ? f
                : throw new UnknownArchitectureException(path, pipelineClass, PipelineFamilies.Keys);
        if (config.Architectures.Count == 0)
            return byPipeline ?? ChronosModelFamily.ChronosT5;
        var architecture = config.Architectures[0];
        if (!ArchitectureFamilies.TryGetValue(architecture, out var family))
            throw new UnknownArchitectureException(path, architecture, ArchitectureFamilies.Keys);
        if ((byPipeline ?? ChronosModelFamily.ChronosT5) != family)
            throw fields.Invalid("chronos_pipeline_class",
                $"does not match architectures[0] '{architecture}' (expected {PipelineFamilies.First(p => p.Value == family).Key}).");
        return family;
    }

    private void Validate(JsonFields fields)
    {
        foreach (var (name, value) in new[]
                 {
                     ("d_model", DModel), ("d_kv", DKv), ("d_ff", DFf), ("num_heads", NumHeads), ("vocab_size", VocabSize),
                     ("num_layers", NumLayers), ("relative_attention_num_buckets", RelativeAttentionNumBuckets),
                 })
            if (value <= 0)
                throw fields.Invalid(name, "must be positive.");
        var act = FeedForwardProj.Split('-');
        if (act.Length > 2 || (act.Length == 2 && act[0] != "gated") || act[^1].Length == 0)
            throw fields.Invalid("feed_forward_proj", "must be 'gated-{ACT_FN}' or '{ACT_FN}', e.g. 'relu' or 'gated-gelu' (T5Config).");
        if (LayerNormEpsilon <= 0)
            throw fields.Invalid("layer_norm_epsilon", "must be positive.");
        if (ChronosT5 is { } t5 && VocabSize < t5.NTokens)
            throw fields.Invalid("vocab_size", $"is below chronos_config.n_tokens ({t5.NTokens}); the token embedding must cover every token id.");
    }

    /// <summary>config.json as transformers writes it: every key read plus the typed values, sorted, indent 2.</summary>
    public string ToJson()
    {
        var root = (JsonObject)raw.DeepClone();
        var fields = new JsonFields(root, Path);
        fields.Set("architectures", Architectures.Count == 0 && !fields.Has("architectures") ? null : Architectures);
        fields.Set("chronos_pipeline_class", ChronosPipelineClass);
        SetUnlessDefault(fields, "model_type", ModelType, "t5", always: true);
        SetUnlessDefault(fields, "vocab_size", VocabSize, 32128);
        SetUnlessDefault(fields, "d_model", DModel, 512);
        SetUnlessDefault(fields, "d_kv", DKv, 64);
        SetUnlessDefault(fields, "d_ff", DFf, 2048);
        SetUnlessDefault(fields, "num_layers", NumLayers, 6);
        SetUnlessDefault(fields, "num_decoder_layers", NumDecoderLayers, NumLayers);
        SetUnlessDefault(fields, "num_heads", NumHeads, 8);
        SetUnlessDefault(fields, "relative_attention_num_buckets", RelativeAttentionNumBuckets, 32);
        SetUnlessDefault(fields, "relative_attention_max_distance", RelativeAttentionMaxDistance, 128);
        SetUnlessDefault(fields, "dropout_rate", DropoutRate, 0.1);
        SetUnlessDefault(fields, "layer_norm_epsilon", LayerNormEpsilon, 1e-6);
        SetUnlessDefault(fields, "initializer_factor", InitializerFactor, 1.0);
        SetUnlessDefault(fields, "feed_forward_proj", FeedForwardProj, "relu");
        if (fields.Has("dense_act_fn") || FeedForwardProj != "relu")
            fields.Set("dense_act_fn", DenseActFn);
        if (fields.Has("is_gated_act") || IsGatedAct)
            fields.Set("is_gated_act", IsGatedAct);
        SetUnlessDefault(fields, "pad_token_id", PadTokenId, 0);
        if (fields.Has("eos_token_id") || EosTokenId != 1)
            fields.Set("eos_token_id", EosTokenId);
        fields.Set("decoder_start_token_id", DecoderStartTokenId);
        SetUnlessDefault(fields, "tie_word_embeddings", TieWordEmbeddings, true);
        fields.Set("torch_dtype", TorchDtype);
        fields.Set("reg_token_id", RegTokenId);
        fields.Set("rope_theta", RopeTheta);
        if (root["chronos_config"] is not JsonObject chronos)
            root["chronos_config"] = chronos = [];
        var chronosFields = new JsonFields(chronos, Path, "chronos_config.");
        ChronosT5?.WriteTo(chronosFields);
        Bolt?.WriteTo(chronosFields);
        Chronos2?.WriteTo(chronosFields);
        return PythonJson.Serialize(root) + "\n";
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> (a file, or a folder to hold config.json).</summary>
    public void Write(string path)
    {
        if (Directory.Exists(path))
            path = System.IO.Path.Combine(path, FileName);
        File.WriteAllText(path, ToJson());
    }

    /// <summary>Keys the file had are rewritten; absent keys only when they differ from the T5Config default (use_diff).</summary>
    private static void SetUnlessDefault<T>(JsonFields fields, string name, T value, T fallback, bool always = false)
    {
        if (!always && !fields.Has(name) && EqualityComparer<T>.Default.Equals(value, fallback))
            return;
        switch (value)
        {
            case int i: fields.Set(name, (long)i); break;
            case double d: fields.Set(name, d); break;
            case string s: fields.Set(name, s); break;
            case bool b: fields.Set(name, b); break;
        }
    }
}
