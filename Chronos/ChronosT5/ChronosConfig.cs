using Forecast.Chronos.Checkpoints;

namespace Forecast.Chronos.ChronosT5;

/// <summary>
/// <c>chronos_config</c> of a Chronos-T5 checkpoint (chronos.py: dataclass ChronosConfig), read straight from
/// config.json (<see cref="Parse"/>: every field the dataclass requires must be there; the tokenizer bounds come from
/// tokenizer_kwargs) or set in code (defaults: the official values). One set of rules (<see cref="Problems"/>) checks both.
/// </summary>
public sealed record ChronosConfig
{
    public string TokenizerClass { get; init; } = "MeanScaleUniformBins";
    public double LowLimit { get; init; } = -15.0;
    public double HighLimit { get; init; } = 15.0;
    public int NTokens { get; init; } = 4096;
    public int NSpecialTokens { get; init; } = 2;
    public int PadTokenId { get; init; }
    public int EosTokenId { get; init; } = 1;
    public bool UseEosToken { get; init; } = true;

    /// <summary>"seq2seq" (T5); "causal" (GPT-2 style) checkpoints exist but are not run by this library.</summary>
    public string ModelType { get; init; } = "seq2seq";
    public int ContextLength { get; init; } = 512;
    public int PredictionLength { get; init; } = 64;
    public int NumSamples { get; init; } = 20;
    public double Temperature { get; init; } = 1.0;
    public int TopK { get; init; } = 50;
    public double TopP { get; init; } = 1.0;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first field this library cannot run.</summary>
    public void Validate()
    {
        foreach (var (key, value, why) in Problems())
            throw new ArgumentException($"chronos_config.{key} = {value}: {why}");
    }

    /// <summary>What is wrong, by chronos_config key.</summary>
    public IEnumerable<(string Key, object? Value, string Why)> Problems()
    {
        if (TokenizerClass != "MeanScaleUniformBins")
            yield return ("tokenizer_class", TokenizerClass, "is not supported; Chronos-T5 uses MeanScaleUniformBins.");
        if (ModelType != "seq2seq")
            yield return ("model_type", ModelType, "is not supported; only seq2seq (T5) Chronos models are.");
        if (NTokens <= NSpecialTokens + 1)
            yield return ("n_tokens", NTokens, $"must exceed n_special_tokens + 1 ({NSpecialTokens + 1}).");
        if (!(HighLimit > LowLimit))
            yield return ("tokenizer_kwargs", $"{{low_limit: {LowLimit}, high_limit: {HighLimit}}}", "high_limit must exceed low_limit.");
        foreach (var (key, value) in new[] { ("context_length", ContextLength), ("prediction_length", PredictionLength), ("num_samples", NumSamples) })
            if (value < 1)
                yield return (key, value, "must be positive.");
    }

    internal static ChronosConfig Parse(JsonFields fields)
    {
        int Required(string name) => fields.Int(name) ?? throw fields.Invalid(name, "is missing (chronos.py ChronosConfig requires it).");
        var kwargs = fields.Child("tokenizer_kwargs");
        var config = new ChronosConfig
        {
            TokenizerClass = fields.String("tokenizer_class") ?? throw fields.Invalid("tokenizer_class", "is missing."),
            LowLimit = kwargs?.Double("low_limit") ?? -15.0,
            HighLimit = kwargs?.Double("high_limit") ?? 15.0,
            NTokens = Required("n_tokens"),
            NSpecialTokens = Required("n_special_tokens"),
            PadTokenId = Required("pad_token_id"),
            EosTokenId = Required("eos_token_id"),
            UseEosToken = fields.Bool("use_eos_token") ?? throw fields.Invalid("use_eos_token", "is missing."),
            ModelType = fields.String("model_type") ?? throw fields.Invalid("model_type", "is missing."),
            ContextLength = Required("context_length"),
            PredictionLength = Required("prediction_length"),
            NumSamples = Required("num_samples"),
            Temperature = fields.Double("temperature") ?? throw fields.Invalid("temperature", "is missing."),
            TopK = Required("top_k"),
            TopP = fields.Double("top_p") ?? throw fields.Invalid("top_p", "is missing."),
        };
        fields.Check(config.Problems());
        return config;
    }

    internal void WriteTo(JsonFields fields)
    {
        fields.Set("tokenizer_class", TokenizerClass);
        if (fields.Object["tokenizer_kwargs"] is not System.Text.Json.Nodes.JsonObject kwargsObject)
            fields.Object["tokenizer_kwargs"] = kwargsObject = [];
        var kwargs = new JsonFields(kwargsObject, "");
        kwargs.Set("low_limit", LowLimit);
        kwargs.Set("high_limit", HighLimit);
        fields.Set("n_tokens", NTokens);
        fields.Set("n_special_tokens", NSpecialTokens);
        fields.Set("pad_token_id", PadTokenId);
        fields.Set("eos_token_id", EosTokenId);
        fields.Set("use_eos_token", UseEosToken);
        fields.Set("model_type", ModelType);
        fields.Set("context_length", ContextLength);
        fields.Set("prediction_length", PredictionLength);
        fields.Set("num_samples", NumSamples);
        fields.Set("temperature", Temperature);
        fields.Set("top_k", TopK);
        fields.Set("top_p", TopP);
    }
}
