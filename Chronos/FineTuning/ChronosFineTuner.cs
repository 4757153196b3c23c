using TorchSharp;
using static TorchSharp.torch;

namespace Forecast.Chronos.FineTuning;

/// <summary>
/// Fine-tunes a Chronos model on the user's series (scripts/training/train.py, as HF Trainer runs it): random training
/// windows, AdamW with a linear warm-up schedule and gradient clipping, a validation loss on each series' held-out
/// last horizon, early stopping with the best weights restored, and the best model saved. Progress per step and
/// cancellation between steps.
/// </summary>
public sealed class ChronosFineTuner(IFineTuneObjective objective, Action<string>? saveCheckpoint = null)
{
    public FineTuneResult Fit(IReadOnlyList<float[]> series, FineTuneOptions options,
        IProgress<FineTuneProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        TorchRuntime.EnsureLoaded();
        var validate = options.ValidationInterval > 0;
        var sampler = new TrainingWindowSampler(series, options.ContextLength ?? objective.ContextLength,
            objective.PredictionLength, options.MinPast, objective.InjectMissingValues ? options.DropProbability : 0,
            holdOut: validate, options.Seed);
        Action? saveBest = options.CheckpointDirectory is { } directory && saveCheckpoint is not null
            ? () => saveCheckpoint(directory)
            : null;
        return new FineTuningLoop(objective.Model, options).Run(
            () =>
            {
                var (context, future) = sampler.Sample(options.BatchSize);
                return objective.Loss(context, future);
            },
            () => ValidationLoss(sampler, options.BatchSize),
            saveBest, progress, cancellationToken);
    }

    /// <summary>Mean loss over the held-out windows, in eval mode without gradients.</summary>
    public double ValidationLoss(TrainingWindowSampler sampler, int batchSize)
    {
        objective.Model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (context, future) = sampler.ValidationWindows();
        var rows = context.shape[0];
        double total = 0;
        for (long start = 0; start < rows; start += batchSize)
        {
            var end = Math.Min(rows, start + batchSize);
            var slice = TensorIndex.Slice(start, end);
            total += objective.Loss(context[slice], future[slice]).item<float>() * (end - start);
        }
        return total / rows;
    }
}
