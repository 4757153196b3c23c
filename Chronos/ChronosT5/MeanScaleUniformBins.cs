using static TorchSharp.torch;

namespace Forecast.Chronos.ChronosT5;

/// <summary>
/// Chronos-T5's tokenizer (chronos.py: MeanScaleUniformBins): values are divided by the mean absolute observed
/// value, then quantised into <c>n_tokens − n_special − 1</c> uniform bins on [low, high]. Not a text tokenizer:
/// the "vocabulary" is the bin index, which is why Microsoft.ML.Tokenizers has no part here.
/// </summary>
public sealed class MeanScaleUniformBins : IDisposable
{
    private readonly ChronosConfig config;

    public MeanScaleUniformBins(ChronosConfig config)
    {
        config.Validate();
        this.config = config;
        using var scope = NewDisposeScope();
        // centers = linspace(low, high, N − n_special − 1) in float32 (libtorch 2.10 differs from torch 1.13 by at
        // most 1 ulp in some elements; token ids of the golden inputs are unaffected — spec §2).
        var centers = linspace(config.LowLimit, config.HighLimit, config.NTokens - config.NSpecialTokens - 1, dtype: ScalarType.Float32);
        var midpoints = (centers[TensorIndex.Slice(1)] + centers[TensorIndex.Slice(0, -1)]) / 2;
        // Owned by the tokenizer (disposed with it), not by any dispose scope of the caller.
        Boundaries = cat([tensor(new[] { -1e20f }), midpoints, tensor(new[] { 1e20f })]).DetachFromDisposeScope();
        Centers = centers.DetachFromDisposeScope();
    }

    /// <summary>Bin centres (N − n_special − 1); token <c>n_special + 1 + i</c> decodes to <c>Centers[i]</c>.</summary>
    public Tensor Centers { get; }

    /// <summary>Bin boundaries (N − n_special): −1e20, midpoints, 1e20.</summary>
    public Tensor Boundaries { get; }

    /// <summary>
    /// chronos.py: context_input_transform — keeps the last context_length values, returns token ids (B, T'+1)
    /// int64 with EOS appended, the attention mask (B, T'+1) bool and the scale (B).
    /// </summary>
    public (Tensor TokenIds, Tensor AttentionMask, Tensor Scale) ContextInputTransform(Tensor context)
    {
        using var scope = NewDisposeScope();
        if (context.shape[^1] > config.ContextLength)
            context = context[TensorIndex.Ellipsis, TensorIndex.Slice(-config.ContextLength)];
        context = context.to_type(ScalarType.Float32);
        var mask = context.isnan().logical_not();
        // nansum(|x|·mask) / nansum(mask): the mean absolute observed value; 0 or NaN (all missing) → 1.
        var scale = (context.abs() * mask).nan_to_num(0.0).sum([-1L]) / mask.to_type(ScalarType.Float32).sum([-1L]);
        scale = where(scale.gt(0.0), scale, ones_like(scale));
        var (ids, idsMask) = InputTransform(context, mask, scale);
        if (config.UseEosToken)
            (ids, idsMask) = AppendEos(ids, idsMask);
        return (ids.MoveToOuterDisposeScope(), idsMask.MoveToOuterDisposeScope(), scale.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// chronos.py: label_input_transform — the future (B, prediction_length) tokenised with the context's scale,
    /// EOS appended; returns (ids, mask).
    /// </summary>
    public (Tensor TokenIds, Tensor AttentionMask) LabelInputTransform(Tensor label, Tensor scale)
    {
        if (label.shape[^1] != config.PredictionLength)
            throw new ArgumentException(
                $"label has {label.shape[^1]} steps but chronos_config.prediction_length is {config.PredictionLength}.", nameof(label));
        using var scope = NewDisposeScope();
        label = label.to_type(ScalarType.Float32);
        var (ids, mask) = InputTransform(label, label.isnan().logical_not(), scale);
        if (config.UseEosToken)
            (ids, mask) = AppendEos(ids, mask);
        return (ids.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }

    /// <summary>chronos.py: output_transform — token samples (B, S, H) → values (B, S, H).</summary>
    public Tensor OutputTransform(Tensor samples, Tensor scale)
    {
        using var scope = NewDisposeScope();
        var indices = (samples - config.NSpecialTokens - 1).clamp(0, Centers.shape[0] - 1);
        var values = Centers.to(samples.device).index_select(0, indices.flatten()).view(samples.shape);
        return (values * scale.view(-1, 1, 1)).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Centers.Dispose();
        Boundaries.Dispose();
    }

    private (Tensor Ids, Tensor Mask) InputTransform(Tensor values, Tensor mask, Tensor scale)
    {
        var scaled = values / scale.unsqueeze(-1);
        // right=True: boundaries[i-1] <= x < boundaries[i] → i.
        var ids = bucketize(scaled, Boundaries.to(values.device), right: true) + config.NSpecialTokens;
        ids = ids.clamp(0, config.NTokens - 1).masked_fill(mask.logical_not(), config.PadTokenId);
        return (ids, mask);
    }

    private (Tensor Ids, Tensor Mask) AppendEos(Tensor ids, Tensor mask)
    {
        var batch = ids.shape[0];
        var eos = full(batch, 1, config.EosTokenId, dtype: ScalarType.Int64, device: ids.device);
        return (cat([ids, eos], 1), cat([mask, ones(batch, 1, dtype: ScalarType.Bool, device: mask.device)], 1));
    }
}
