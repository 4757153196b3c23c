namespace Forecast.Chronos.ChronosT5;

/// <summary>
/// <c>chronos_config</c> of a Chronos-T5 checkpoint (chronos.py: ChronosConfig); defaults are the official values.
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
    public string ModelType { get; init; } = "seq2seq";
    public int ContextLength { get; init; } = 512;
    public int PredictionLength { get; init; } = 64;
    public int NumSamples { get; init; } = 20;
    public double Temperature { get; init; } = 1.0;
    public int TopK { get; init; } = 50;
    public double TopP { get; init; } = 1.0;

    public void Validate()
    {
        if (TokenizerClass != "MeanScaleUniformBins")
            throw new ArgumentException(
                $"chronos_config.tokenizer_class '{TokenizerClass}' is not supported; Chronos-T5 uses MeanScaleUniformBins.");
        if (ModelType != "seq2seq")
            throw new ArgumentException(
                $"chronos_config.model_type '{ModelType}' is not supported; only seq2seq (T5) Chronos models are.");
        if (NTokens <= NSpecialTokens + 1 || HighLimit <= LowLimit)
            throw new ArgumentException(
                $"chronos_config: n_tokens ({NTokens}) must exceed n_special_tokens + 1 and high_limit must exceed low_limit.");
        if (ContextLength < 1 || PredictionLength < 1 || NumSamples < 1)
            throw new ArgumentException("chronos_config: context_length, prediction_length and num_samples must be positive.");
    }
}
