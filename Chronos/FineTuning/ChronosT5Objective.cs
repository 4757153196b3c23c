using Forecast.Chronos.ChronosT5;
using static TorchSharp.torch;

namespace Forecast.Chronos.FineTuning;

/// <summary>Chronos-T5 fine-tuning loss: cross-entropy on tokens (train.py → T5ForConditionalGeneration(labels=…)).</summary>
public sealed class ChronosT5Objective(ChronosT5Pipeline pipeline) : IFineTuneObjective
{
    public nn.Module Model => pipeline.Model;
    public int ContextLength => pipeline.Config.ContextLength;
    public int PredictionLength => pipeline.Config.PredictionLength;
    public bool InjectMissingValues => true;

    public Tensor Loss(Tensor context, Tensor future)
    {
        using var scope = NewDisposeScope();
        using var batch = ChronosT5TrainingBatch.Create(pipeline.Tokenizer, context, future);
        var (loss, _) = pipeline.Model.Loss(batch.InputIds, batch.AttentionMask, batch.Labels);
        return loss.MoveToOuterDisposeScope();
    }
}
