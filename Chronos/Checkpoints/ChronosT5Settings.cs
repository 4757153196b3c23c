namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// <c>chronos_config</c> of a Chronos-T5 checkpoint — chronos-forecasting chronos.py, dataclass ChronosConfig (every
/// field required there, so a missing one is an error here too). The tokenizer bounds come from tokenizer_kwargs
/// (MeanScaleUniformBins(low_limit, high_limit, config)).
/// </summary>
public sealed record ChronosT5Settings
{
    public required string TokenizerClass { get; init; }
    public double LowLimit { get; init; } = -15.0;
    public double HighLimit { get; init; } = 15.0;
    public required int NTokens { get; init; }
    public required int NSpecialTokens { get; init; }
    public required int PadTokenId { get; init; }
    public required int EosTokenId { get; init; }
    public required bool UseEosToken { get; init; }

    /// <summary>"seq2seq" (T5) or "causal" (GPT-2 style; not run by this library).</summary>
    public required string ModelType { get; init; }
    public required int ContextLength { get; init; }
    public required int PredictionLength { get; init; }
    public required int NumSamples { get; init; }
    public required double Temperature { get; init; }
    public required int TopK { get; init; }
    public required double TopP { get; init; }

    internal static ChronosT5Settings Parse(JsonFields fields)
    {
        int Required(string name) => fields.Int(name) ?? throw fields.Invalid(name, "is missing (chronos.py ChronosConfig requires it).");
        var kwargs = fields.Child("tokenizer_kwargs");
        var settings = new ChronosT5Settings
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
        if (settings.ModelType is not ("seq2seq" or "causal"))
            throw fields.Invalid("model_type", "must be \"seq2seq\" or \"causal\".");
        if (settings.NTokens <= settings.NSpecialTokens)
            throw fields.Invalid("n_tokens", $"must exceed n_special_tokens ({settings.NSpecialTokens}).");
        if (settings.HighLimit <= settings.LowLimit)
            throw fields.Invalid("tokenizer_kwargs", "high_limit must exceed low_limit.");
        return settings;
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
