namespace Forecast.Chronos.ChronosT5;

/// <summary>
/// How forecasts are sampled (chronos.py: ChronosModel.forward → GenerationConfig). Null fields take the
/// checkpoint's chronos_config values. <see cref="Seed"/> makes sampling reproducible (a fresh torch.Generator per call).
/// </summary>
public sealed record SamplingSettings
{
    public int? NumSamples { get; init; }
    public double? Temperature { get; init; }
    /// <summary>0 disables top-k; 1 is greedy decoding (ties with the best logit are kept, as HF does).</summary>
    public int? TopK { get; init; }
    public double? TopP { get; init; }
    public long? Seed { get; init; }
}
