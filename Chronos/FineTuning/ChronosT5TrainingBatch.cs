using Forecast.Chronos.ChronosT5;
using static TorchSharp.torch;

namespace Forecast.Chronos.FineTuning;

/// <summary>
/// Model inputs of a batch of training windows for Chronos-T5, built as train.py's ChronosDataset.to_hf_format:
/// context tokens with EOS, label tokens with the context's scale and EOS, −100 where the future is missing.
/// </summary>
public sealed record ChronosT5TrainingBatch(Tensor InputIds, Tensor AttentionMask, Tensor Labels) : IDisposable
{
    /// <param name="context">(B, context_length) NaN for missing or left padding.</param>
    /// <param name="future">(B, prediction_length) NaN for missing.</param>
    public static ChronosT5TrainingBatch Create(MeanScaleUniformBins tokenizer, Tensor context, Tensor future)
    {
        using var scope = NewDisposeScope();
        var (inputIds, attentionMask, scale) = tokenizer.ContextInputTransform(context);
        var (labels, labelsMask) = tokenizer.LabelInputTransform(future, scale);
        labels = labels.masked_fill(labelsMask.logical_not(), -100);
        return new ChronosT5TrainingBatch(inputIds.MoveToOuterDisposeScope(), attentionMask.MoveToOuterDisposeScope(),
            labels.MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        InputIds.Dispose();
        AttentionMask.Dispose();
        Labels.Dispose();
    }
}
