using Forecast.Chronos.Inference;
using static TorchSharp.torch;

namespace Forecast.Chronos.FineTuning;

/// <summary>
/// The training loop both fine-tuners run (the HF Trainer loop that scripts/training/train.py and chronos2/pipeline.py
/// fit drive): per step a training loss, one AdamW step with a linear warm-up schedule and gradient clipping
/// (<see cref="OptimizerStep"/>), a validation loss every <see cref="FineTuneOptions.ValidationInterval"/> steps and at
/// the last one, early stopping after <see cref="FineTuneOptions.EarlyStoppingPatience"/> validations without
/// improvement, and the best weights restored at the end. Progress per step, cancellation between steps.
/// </summary>
/// <param name="trainable">The module whose parameters are optimised and whose best weights are kept: the model itself
/// (full fine-tuning) or an adapter on it (LoRA); the model's train/eval mode is switched either way.</param>
/// <param name="randomness">The fit's random stream, when the fit drew from it before the loop (LoRA's initial
/// weights); by default one seeded with <see cref="FineTuneOptions.Seed"/>. Every training loss runs in its
/// <see cref="FitRandomness.Step"/>.</param>
internal sealed class FineTuningLoop(nn.Module model, FineTuneOptions options, nn.Module? trainable = null,
    FitRandomness? randomness = null)
{
    private readonly nn.Module trained = trainable ?? model;

    /// <param name="trainingLoss">The scalar loss of one freshly sampled batch; runs inside a dispose scope that ends after the step.</param>
    /// <param name="validationLoss">The mean held-out loss (the model is switched to eval mode by the callee).</param>
    /// <param name="onNewBest">Called when the validation loss improves, or once at the end when there is no validation.</param>
    public FineTuneResult Run(Func<Tensor> trainingLoss, Func<double> validationLoss, Action? onNewBest,
        IProgress<FineTuneProgress>? progress, CancellationToken cancellationToken)
    {
        using var ownRandomness = randomness is null ? new FitRandomness(options.Seed) : null;
        var stream = randomness ?? ownRandomness!;
        var warmup = (int)Math.Ceiling(options.WarmupRatio * options.MaxSteps);
        using var optimizer = new OptimizerStep(trained, options.LearningRate, options.WeightDecay, options.MaxGradNorm,
            new LinearWarmupSchedule(warmup, options.MaxSteps));
        var validate = options.ValidationInterval > 0;
        var history = new List<FineTuneProgress>();
        double? best = null;
        var bestStep = 0;
        Dictionary<string, Tensor>? bestWeights = null;
        var validationsWithoutImprovement = 0;
        var stoppedEarly = false;
        try
        {
            for (var step = 1; step <= options.MaxSteps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                double loss, gradNorm;
                using (var scope = NewDisposeScope())
                {
                    if (options.UseDropout)
                        model.train();
                    else
                        model.eval();
                    var batchLoss = stream.Step(trainingLoss);
                    loss = batchLoss.item<float>();
                    if (!double.IsFinite(loss))
                        throw new InvalidOperationException(
                            $"The training loss became {loss} at step {step}; lower LearningRate or check the series for extreme values.");
                    gradNorm = optimizer.Apply(batchLoss);
                }

                double? validation = null;
                if (validate && (step % options.ValidationInterval == 0 || step == options.MaxSteps))
                {
                    validation = validationLoss();
                    if (best is null || validation < best)
                    {
                        (best, bestStep, validationsWithoutImprovement) = (validation, step, 0);
                        DisposeAll(bestWeights);
                        bestWeights = CopyWeights();
                        onNewBest?.Invoke();
                    }
                    else if (options.EarlyStoppingPatience > 0 && ++validationsWithoutImprovement >= options.EarlyStoppingPatience)
                    {
                        stoppedEarly = true;
                    }
                }

                var report = new FineTuneProgress(step, options.MaxSteps, loss, gradNorm, optimizer.LearningRate, validation);
                history.Add(report);
                progress?.Report(report);
                if (stoppedEarly)
                    break;
            }

            if (bestWeights is not null)
                RestoreWeights(bestWeights);
            else
                onNewBest?.Invoke();
        }
        finally
        {
            DisposeAll(bestWeights);
            model.eval();
            // Weights derived for inference (Chronos-2's composed W_o·W_v) are made again from the trained ones.
            ComposedWeight.InvalidateAll(model);
        }
        return new FineTuneResult(history.Count, best, bestStep, stoppedEarly, history);
    }

    private Dictionary<string, Tensor> CopyWeights() =>
        trained.state_dict().ToDictionary(entry => entry.Key, entry => entry.Value.detach().clone().DetachFromDisposeScope());

    private void RestoreWeights(Dictionary<string, Tensor> weights)
    {
        using var noGrad = no_grad();
        foreach (var (name, value) in trained.state_dict())
            value.copy_(weights[name]);
    }

    private static void DisposeAll(Dictionary<string, Tensor>? weights)
    {
        if (weights is null)
            return;
        foreach (var tensor in weights.Values)
            tensor.Dispose();
        weights.Clear();
    }
}
