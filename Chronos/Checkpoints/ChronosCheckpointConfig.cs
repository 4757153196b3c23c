using System.Text.Json;
using System.Text.Json.Nodes;
using Forecast.Chronos.Bolt;
using Forecast.Chronos.Chronos2;
using Forecast.Chronos.ChronosT5;
using Forecast.Chronos.T5;

namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// A Chronos checkpoint's config.json, read once into the validated records the models run with: the family (from
/// architectures[0] / chronos_pipeline_class, as base.py: from_pretrained), the network (<see cref="T5"/> for Chronos-T5
/// and Bolt, <see cref="Chronos2Core"/> for Chronos-2) and the family's <c>chronos_config</c> (<see cref="ChronosT5"/>,
/// <see cref="Bolt"/> or <see cref="Chronos2"/>). Every error names the file and the key. Every other key is kept, so
/// <see cref="Write"/> gives back a file Python reads the same way (as PretrainedConfig.to_json_string writes it:
/// sorted keys, indent 2, Python float repr).
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

    private ChronosCheckpointConfig()
    {
    }

    public string Path { get; private set; } = FileName;

    public ChronosModelFamily Family { get; private set; }

    public IReadOnlyList<string> Architectures { get; set; } = [];
    public string? ChronosPipelineClass { get; set; }
    public string ModelType { get; set; } = "t5";

    /// <summary>
    /// The dtype the checkpoint was saved from ("float32", "bfloat16"). Informational only: it may disagree with the
    /// stored tensors (the chronos T5 test dummy says bfloat16 and stores F32), and from_pretrained without
    /// torch_dtype loads float32 anyway.
    /// </summary>
    public string? TorchDtype { get; set; }

    /// <summary>Bolt / Chronos-2: the id of the REG embedding row of shared.weight.</summary>
    public int? RegTokenId { get; set; }

    /// <summary>Chronos-T5 and Chronos-Bolt: the T5 network.</summary>
    public T5Config? T5 { get; set; }

    /// <summary>Chronos-2: its network (Chronos2CoreConfig).</summary>
    public Chronos2CoreConfig? Chronos2Core { get; set; }

    public ChronosConfig? ChronosT5 { get; set; }
    public ChronosBoltConfig? Bolt { get; set; }
    public Chronos2ForecastingConfig? Chronos2 { get; set; }

    // What the weights of any family are shaped by (CheckpointPreflight, SafetensorsCheckpoint): views of the records.
    public int DModel => T5?.DModel ?? Chronos2Core!.DModel;
    public int DKv => T5?.DKv ?? Chronos2Core!.DKv;
    public int DFf => T5?.DFf ?? Chronos2Core!.DFf;
    public int NumHeads => T5?.NumHeads ?? Chronos2Core!.NumHeads;
    public int NumLayers => T5?.NumLayers ?? Chronos2Core!.NumLayers;
    public int NumDecoderLayers => T5?.NumDecoderLayers ?? 0;
    public int RelativeAttentionNumBuckets => T5?.RelativeAttentionNumBuckets ?? 0;

    /// <summary>Rows of shared.weight: vocab_size for T5; Bolt and Chronos-2 hold [PAD] (and [REG]), as their models build it.</summary>
    public int VocabSize => Family switch
    {
        ChronosModelFamily.ChronosT5 => T5!.VocabSize,
        ChronosModelFamily.ChronosBolt => Bolt!.UseRegToken ? 2 : 1,
        _ => Chronos2!.UseRegToken ? 2 : 1,
    };

    /// <summary>PretrainedConfig default true: lm_head shares shared.weight (T5 then scales by d_model^-0.5).</summary>
    public bool TieWordEmbeddings => T5?.TieWordEmbeddings ?? true;

    /// <summary>The transformers version that wrote the file ("4.46.0.dev0"), kept as written; null when absent.</summary>
    public string? TransformersVersion => raw["transformers_version"] is JsonValue v && v.TryGetValue<string>(out var version) ? version : null;

    /// <summary>config.json of a Chronos-T5 or Chronos-Bolt model built in code (keys as transformers' T5Config writes them).</summary>
    public static ChronosCheckpointConfig ForT5(T5Config network, ChronosConfig chronosConfig) => new()
    {
        Family = ChronosModelFamily.ChronosT5,
        Architectures = ["T5ForConditionalGeneration"],
        T5 = network,
        ChronosT5 = chronosConfig,
    };

    /// <inheritdoc cref="ForT5"/>
    public static ChronosCheckpointConfig ForBolt(T5Config network, ChronosBoltConfig chronosConfig) => new()
    {
        Family = ChronosModelFamily.ChronosBolt,
        Architectures = ["ChronosBoltModelForForecasting"],
        ChronosPipelineClass = "ChronosBoltPipeline",
        T5 = network with { VocabSize = chronosConfig.UseRegToken ? 2 : 1 },
        RegTokenId = chronosConfig.UseRegToken ? chronosConfig.RegTokenId : null,
        Bolt = chronosConfig,
    };

    /// <summary>config.json of a Chronos-2 model built in code (pipeline.py: save_pretrained).</summary>
    public static ChronosCheckpointConfig ForChronos2(Chronos2CoreConfig network, Chronos2ForecastingConfig chronosConfig)
    {
        var config = new ChronosCheckpointConfig
        {
            Family = ChronosModelFamily.Chronos2,
            Architectures = ["Chronos2Model"],
            ChronosPipelineClass = "Chronos2Pipeline",
            TorchDtype = "float32",
            Chronos2Core = network,
            RegTokenId = chronosConfig.UseRegToken ? chronosConfig.RegTokenId : null,
            Chronos2 = chronosConfig,
        };
        // Chronos2CoreConfig.__init__ always sets these (config.py); eos_token_id it pops.
        var fields = new JsonFields(config.raw, FileName);
        fields.Set("vocab_size", chronosConfig.UseRegToken ? 2 : 1);
        fields.Set("pad_token_id", 0);
        return config;
    }

    /// <summary>
    /// generation_config.json as save_pretrained writes it for T5ForConditionalGeneration (GenerationConfig.from_model_config:
    /// the generation keys of config.json plus "_from_model_config": true); null for families without generate().
    /// </summary>
    public string? GenerationConfigJson()
    {
        if (Family != ChronosModelFamily.ChronosT5)
            return null;
        var generation = new JsonObject { ["_from_model_config"] = true };
        if (T5!.DecoderStartTokenId is { } start)
            generation["decoder_start_token_id"] = start;
        if (T5.EosTokenId is { } eos)
            generation["eos_token_id"] = eos;
        generation["pad_token_id"] = T5.PadTokenId;
        if (TransformersVersion is { } version)
            generation["transformers_version"] = version;
        return PythonJson.Serialize(generation) + "\n";
    }

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
        config.TorchDtype = fields.String("torch_dtype");
        config.RegTokenId = fields.Int("reg_token_id");
        var chronos = fields.Child("chronos_config")
            ?? throw new CheckpointConfigException(path, "no chronos_config object: this is not a Chronos checkpoint's config.json.");
        switch (config.Family)
        {
            case ChronosModelFamily.ChronosT5:
                config.T5 = T5Config.Parse(fields);
                config.ChronosT5 = ChronosConfig.Parse(chronos);
                if (config.T5.VocabSize < config.ChronosT5.NTokens)
                    throw fields.Invalid("vocab_size",
                        $"is below chronos_config.n_tokens ({config.ChronosT5.NTokens}); the token embedding must cover every token id.");
                break;
            case ChronosModelFamily.ChronosBolt:
                config.T5 = T5Config.Parse(fields);
                config.Bolt = ChronosBoltConfig.Parse(chronos);
                break;
            default:
                config.Chronos2Core = Chronos2CoreConfig.Parse(fields);
                config.Chronos2 = Chronos2ForecastingConfig.Parse(chronos);
                break;
        }
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

    /// <summary>config.json as transformers writes it: every key read plus the typed values, sorted, indent 2.</summary>
    public string ToJson()
    {
        var root = (JsonObject)raw.DeepClone();
        var fields = new JsonFields(root, Path);
        fields.Set("architectures", Architectures.Count == 0 && !fields.Has("architectures") ? null : Architectures);
        fields.Set("chronos_pipeline_class", ChronosPipelineClass);
        fields.Set("model_type", ModelType);
        T5?.WriteTo(fields);
        Chronos2Core?.WriteTo(fields);
        fields.Set("torch_dtype", TorchDtype);
        fields.Set("reg_token_id", RegTokenId);
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
}
