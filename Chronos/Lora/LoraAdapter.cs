using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Forecast.Chronos.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.Lora;

/// <summary>
/// A LoRA adapter on a model's linear layers, in peft's format (adapter_config.json + adapter_model.safetensors with
/// tensors <c>base_model.model.&lt;module&gt;.lora_A.weight</c> / <c>lora_B.weight</c>), so that the reference's
/// AutoPeftModel / Chronos2Pipeline.from_pretrained loads what <see cref="Save"/> writes and <see cref="Load"/> reads
/// what peft's save_pretrained writes. While attached, the libtorch products of the adapted layers add the low-rank update
/// (training); <see cref="Merge"/> folds it into the weights and detaches (merge_and_unload), so inference runs at full
/// speed on either backend. Its parameters are only the A and B matrices: train it with the model's weights frozen.
/// </summary>
public sealed class LoraAdapter : nn.Module
{
    private const string Prefix = "base_model.model.";
    private readonly List<(string Path, LoraLayer Layer)> layers;

    private LoraAdapter(LoraConfig config, List<(string Path, LoraLayer Layer)> layers) : base(nameof(LoraAdapter))
    {
        Config = config;
        this.layers = layers;
        foreach (var (path, layer) in layers)
        {
            register_parameter(path.Replace('.', '_') + "_lora_A", layer.A);
            register_parameter(path.Replace('.', '_') + "_lora_B", layer.B);
        }
    }

    public LoraConfig Config { get; }

    /// <summary>The adapted layers' module paths, in the model's order.</summary>
    public IReadOnlyList<string> ModulePaths => [.. layers.Select(l => l.Path)];

    /// <summary>True once <see cref="Merge"/> has folded the update into the weights.</summary>
    public bool IsMerged { get; private set; }

    /// <summary>
    /// peft get_peft_model: a fresh adapter on every targeted linear layer of <paramref name="model"/>, attached — A drawn
    /// as nn.Linear initialises its weight (kaiming_uniform, a = √5: U(±1/√in)), B zero, so the model is unchanged
    /// until trained. The draws come from <paramref name="generator"/> (by default the process's default generator).
    /// </summary>
    public static LoraAdapter Inject(nn.Module model, LoraConfig config, Generator? generator = null)
    {
        config.Validate(nameof(LoraConfig));
        var targets = Targets(model, config, nameof(LoraConfig));
        var created = new List<(string, LoraLayer)>();
        using (no_grad())
        {
            foreach (var (path, linear) in targets)
            {
                var (outFeatures, inFeatures) = Shape(linear);
                var bound = 1.0 / Math.Sqrt(inFeatures);
                var a = new Parameter(empty(config.R, inFeatures).uniform_(-bound, bound, generator));
                var b = new Parameter(zeros(outFeatures, config.R));
                created.Add((path, new LoraLayer(linear, a, b, config.Scaling, config.Dropout)));
            }
        }
        var adapter = new LoraAdapter(config, created);
        adapter.Attach();
        return adapter;
    }

    /// <summary>
    /// Reads a peft LoRA adapter folder and attaches it to <paramref name="model"/> (unmerged; call <see cref="Merge"/> for
    /// inference). Every tensor must name an adapted layer of this model with the shape its layer implies.
    /// </summary>
    /// <exception cref="LoraAdapterException">Missing or malformed files, an unsupported peft option, or an adapter of another base model.</exception>
    public static LoraAdapter Load(string folder, nn.Module model)
    {
        var configPath = Path.Combine(folder, "adapter_config.json");
        var config = ReadConfig(configPath);
        var weightsPath = Path.Combine(folder, "adapter_model.safetensors");
        if (!File.Exists(weightsPath))
            throw new LoraAdapterException(weightsPath, "the adapter's weights are missing (peft's save_pretrained writes adapter_model.safetensors).");
        var targets = Targets(model, config, configPath).ToDictionary(t => t.Path, t => t.Layer, StringComparer.Ordinal);
        Dictionary<string, Tensor> tensors;
        try
        {
            tensors = SafetensorsTorch.ReadAll(weightsPath, ScalarType.Float32);
        }
        catch (CheckpointException)
        {
            throw;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException)
        {
            throw new LoraAdapterException(weightsPath, $"cannot read the adapter's weights: {e.Message}", e);
        }
        try
        {
            var baseModel = BaseModelOf(configPath);
            foreach (var name in tensors.Keys)
            {
                var path = ModulePathOf(name, weightsPath);
                if (!targets.ContainsKey(path))
                    throw new LoraAdapterException(weightsPath,
                        $"tensor '{name}' adapts module '{path}', which this model has no targeted linear layer for: the adapter was made for "
                        + $"another base model (base_model_name_or_path: {baseModel}).");
            }
            var loaded = new List<(string, LoraLayer)>();
            foreach (var (path, linear) in targets)
            {
                var (outFeatures, inFeatures) = Shape(linear);
                var a = Take(tensors, path, "lora_A", [config.R, inFeatures], weightsPath, baseModel);
                var b = Take(tensors, path, "lora_B", [outFeatures, config.R], weightsPath, baseModel);
                loaded.Add((path, new LoraLayer(linear, new Parameter(a), new Parameter(b), config.Scaling, config.Dropout)));
            }
            var adapter = new LoraAdapter(config, loaded);
            adapter.Attach();
            return adapter;
        }
        finally
        {
            foreach (var tensor in tensors.Values)
                tensor.Dispose();
        }
    }

    /// <summary>True when <paramref name="folder"/> holds a peft adapter (adapter_config.json), as find_adapter_config_file checks.</summary>
    public static bool IsAdapterFolder(string folder) => File.Exists(Path.Combine(folder, "adapter_config.json"));

    /// <summary>adapter_config.json's base_model_name_or_path (a folder, relative to the adapter's or absolute, or a hub id), or null.</summary>
    public static string? BaseModelNameOrPath(string folder)
    {
        var path = Path.Combine(folder, "adapter_config.json");
        var root = ParseJson(path);
        return root.TryGetProperty("base_model_name_or_path", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    /// <summary>peft merge_and_unload: W += (alpha / r) · B · A on every adapted layer, then the layers run plain again.</summary>
    public void Merge()
    {
        if (IsMerged)
            return;
        foreach (var (_, layer) in layers)
        {
            layer.Merge();
            layer.Detach();
        }
        IsMerged = true;
    }

    /// <summary>Writes adapter_config.json and adapter_model.safetensors as peft's save_pretrained does.</summary>
    /// <param name="baseModelNameOrPath">What the reference should load the adapter onto (a folder or hub id).</param>
    public void Save(string folder, string? baseModelNameOrPath = null)
    {
        Directory.CreateDirectory(folder);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (path, layer) in layers)
        {
            tensors[$"{Prefix}{path}.lora_A.weight"] = layer.A.detach().to_type(ScalarType.Float32).contiguous();
            tensors[$"{Prefix}{path}.lora_B.weight"] = layer.B.detach().to_type(ScalarType.Float32).contiguous();
        }
        try
        {
            SafetensorsTorch.Save(Path.Combine(folder, "adapter_model.safetensors"), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        }
        finally
        {
            foreach (var tensor in tensors.Values)
                tensor.Dispose();
        }
        File.WriteAllText(Path.Combine(folder, "adapter_config.json"), ConfigJson(baseModelNameOrPath));
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            foreach (var (_, layer) in layers)
                layer.Detach();
        base.Dispose(disposing);
    }

    private void Attach()
    {
        foreach (var (_, layer) in layers)
            layer.Attach();
    }

    private string ConfigJson(string? baseModel)
    {
        // The fields peft 0.14's LoraConfig writes; auto_mapping lets AutoPeftModel build Chronos2Model without a task type.
        var json = new JsonObject
        {
            ["alpha_pattern"] = new JsonObject(),
            ["auto_mapping"] = new JsonObject { ["base_model_class"] = "Chronos2Model", ["parent_library"] = "chronos.chronos2.model" },
            ["base_model_name_or_path"] = baseModel,
            ["bias"] = "none",
            ["eva_config"] = null,
            ["exclude_modules"] = null,
            ["fan_in_fan_out"] = false,
            ["inference_mode"] = true,
            ["init_lora_weights"] = true,
            ["layer_replication"] = null,
            ["layers_pattern"] = null,
            ["layers_to_transform"] = null,
            ["loftq_config"] = new JsonObject(),
            ["lora_alpha"] = Config.Alpha == Math.Floor(Config.Alpha) ? JsonValue.Create((long)Config.Alpha) : JsonValue.Create(Config.Alpha),
            ["lora_bias"] = false,
            ["lora_dropout"] = Config.Dropout,
            ["megatron_config"] = null,
            ["megatron_core"] = "megatron.core",
            ["modules_to_save"] = null,
            ["peft_type"] = "LORA",
            ["r"] = Config.R,
            ["rank_pattern"] = new JsonObject(),
            ["revision"] = null,
            ["target_modules"] = new JsonArray([.. Config.TargetModules.Select(t => (JsonNode)t)]),
            ["task_type"] = null,
            ["use_dora"] = false,
            ["use_rslora"] = false,
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static LoraConfig ReadConfig(string path)
    {
        var root = ParseJson(path);
        string Text(string field, string fallback) =>
            root.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : fallback;
        bool Flag(string field) => root.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.True;
        bool NonEmpty(string field) => root.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Object && v.EnumerateObject().Any();
        double Number(string field, double fallback)
        {
            if (!root.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null)
                return fallback;
            if (v.ValueKind != JsonValueKind.Number)
                throw new LoraAdapterException(path, $"'{field}' is {v.ValueKind}, not a number.");
            return v.GetDouble();
        }

        if (Text("peft_type", "") != "LORA")
            throw new LoraAdapterException(path, $"peft_type is '{Text("peft_type", "")}'; only LoRA adapters (\"LORA\") are supported.");
        if (Flag("use_dora") || Flag("use_rslora") || Flag("fan_in_fan_out") || Flag("lora_bias") || Text("bias", "none") != "none"
            || NonEmpty("rank_pattern") || NonEmpty("alpha_pattern")
            || root.TryGetProperty("modules_to_save", out var saved) && saved.ValueKind == JsonValueKind.Array && saved.GetArrayLength() > 0)
            throw new LoraAdapterException(path,
                "the adapter uses a peft option this port does not implement (use_dora, use_rslora, fan_in_fan_out, lora_bias, bias, rank_pattern, "
                + "alpha_pattern or modules_to_save); Chronos2Pipeline.fit's LoRA uses none of them.");
        if (!root.TryGetProperty("target_modules", out var targets) || targets.ValueKind != JsonValueKind.Array
            || targets.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
            throw new LoraAdapterException(path, "target_modules must be a list of module names (a regular expression is not supported).");
        var r = Number("r", 8);
        if (r != Math.Floor(r))
            throw new LoraAdapterException(path, $"r is {r.ToString(CultureInfo.InvariantCulture)}, not a whole number.");
        var config = new LoraConfig
        {
            R = (int)Math.Clamp(r, int.MinValue, int.MaxValue),
            Alpha = Number("lora_alpha", 8),
            Dropout = Number("lora_dropout", 0),
            TargetModules = [.. targets.EnumerateArray().Select(t => t.GetString()!)],
        };
        config.Validate(path);
        return config;
    }

    private static JsonElement ParseJson(string path)
    {
        if (!File.Exists(path))
            throw new LoraAdapterException(path, "no adapter_config.json: not a peft adapter folder.");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new LoraAdapterException(path, "adapter_config.json must hold a JSON object.");
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new LoraAdapterException(path, $"not valid JSON: {e.Message}", e);
        }
    }

    private static string BaseModelOf(string configPath) =>
        ParseJson(configPath).TryGetProperty("base_model_name_or_path", out var value) && value.ValueKind == JsonValueKind.String
            ? $"'{value.GetString()}'"
            : "not given";

    private static List<(string Path, Linear Layer)> Targets(nn.Module model, LoraConfig config, string where)
    {
        var targets = model.named_modules().Where(m => m.module is Linear && config.Targets(m.name)).Select(m => (m.name, (Linear)m.module)).ToList();
        if (targets.Count == 0)
            throw new LoraAdapterException(where,
                $"target_modules [{string.Join(", ", config.TargetModules)}] match no linear layer of this model: the adapter was made for another base model.");
        return targets;
    }

    private static (long Out, long In) Shape(Linear linear) => (linear.weight!.shape[0], linear.weight!.shape[1]);

    private static string ModulePathOf(string name, string file)
    {
        foreach (var suffix in (string[])[".lora_A.weight", ".lora_B.weight"])
            if (name.StartsWith(Prefix, StringComparison.Ordinal) && name.EndsWith(suffix, StringComparison.Ordinal))
                return name[Prefix.Length..^suffix.Length];
        throw new LoraAdapterException(file, $"tensor '{name}' is not a LoRA weight (base_model.model.<module>.lora_A/lora_B.weight).");
    }

    private static Tensor Take(Dictionary<string, Tensor> tensors, string path, string kind, long[] shape, string file, string baseModel)
    {
        var name = $"{Prefix}{path}.{kind}.weight";
        if (!tensors.TryGetValue(name, out var tensor))
            throw new LoraAdapterException(file, $"tensor '{name}' is missing: every targeted layer needs lora_A and lora_B.");
        if (!tensor.shape.SequenceEqual(shape))
            throw new LoraAdapterException(file,
                $"tensor '{name}' has shape [{string.Join(", ", tensor.shape)}] but this model's layer '{path}' needs [{string.Join(", ", shape)}]: "
                + $"the adapter was made for another base model (base_model_name_or_path: {baseModel}).");
        return tensor.detach().clone();
    }
}
