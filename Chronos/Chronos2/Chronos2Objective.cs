using Forecast.Chronos.FineTuning;
using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// Chronos-2 fine-tuning loss for <see cref="ChronosFineTuner"/>: the model's own quantile loss
/// (chronos2/model.py: _compute_loss via forward(future_target=…)) on univariate windows, each series its own group,
/// with ⌈H / P⌉ output patches (dataset.py: num_output_patches). The reference's fit defaults are
/// learning_rate 1e-6, batch 256, min_past = prediction_length, no warm-up (pipeline.py: fit).
/// </summary>
public sealed class Chronos2Objective : IFineTuneObjective
{
    private readonly Chronos2Model model;

    /// <param name="predictionLength">Horizon the model is tuned for.</param>
    /// <param name="contextLength">History per window; null = the model's context_length.</param>
    public Chronos2Objective(Chronos2Model model, int predictionLength, int? contextLength = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(predictionLength, 1);
        this.model = model;
        PredictionLength = predictionLength;
        ContextLength = Math.Min(contextLength ?? model.ChronosConfig.ContextLength, model.ChronosConfig.ContextLength);
    }

    public nn.Module Model => model;
    public int ContextLength { get; }
    public int PredictionLength { get; }
    public bool InjectMissingValues => false;

    public int OutputPatches => (PredictionLength + model.PatchSize - 1) / model.PatchSize;

    public Tensor Loss(Tensor context, Tensor future)
    {
        using var scope = NewDisposeScope();
        var (_, loss) = model.forward(context, futureTarget: future, numOutputPatches: OutputPatches);
        return loss!.MoveToOuterDisposeScope();
    }
}
