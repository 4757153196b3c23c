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
        random.manual_seed(options.Seed);
        var validate = options.ValidationInterval > 0;
        var sampler = new TrainingWindowSampler(series, options.ContextLength ?? objective.ContextLength,
            objective.PredictionLength, options.MinPast, objective.InjectMissingValues ? options.DropProbability : 0,
            holdOut: validate, options.Seed);
        var model = objective.Model;
        var warmup = (int)Math.Ceiling(options.WarmupRatio * options.MaxSteps);
        using var optimizer = new OptimizerStep(model, options.LearningRate, options.WeightDecay, options.MaxGradNorm,
            new LinearWarmupSchedule(warmup, options.MaxSteps));

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
                    SetTraining(model, options.UseDropout);
                    var (context, future) = sampler.Sample(options.BatchSize);
                    var batchLoss = objective.Loss(context, future);
                    loss = batchLoss.item<float>();
                    if (!double.IsFinite(loss))
                        throw new InvalidOperationException(
                            $"The training loss became {loss} at step {step}; lower LearningRate or check the series for extreme values.");
                    gradNorm = optimizer.Apply(batchLoss);
                }

                double? validationLoss = null;
                if (validate && (step % options.ValidationInterval == 0 || step == options.MaxSteps))
                {
                    validationLoss = ValidationLoss(sampler, options.BatchSize);
                    if (best is null || validationLoss < best)
                    {
                        best = validationLoss;
                        bestStep = step;
                        validationsWithoutImprovement = 0;
                        DisposeAll(bestWeights);
                        bestWeights = CopyWeights(model);
                        if (options.CheckpointDirectory is { } directory)
                            saveCheckpoint?.Invoke(directory);
                    }
                    else if (options.EarlyStoppingPatience > 0 && ++validationsWithoutImprovement >= options.EarlyStoppingPatience)
                    {
                        stoppedEarly = true;
                    }
                }

                var report = new FineTuneProgress(step, options.MaxSteps, loss, gradNorm, optimizer.LearningRate, validationLoss);
                history.Add(report);
                progress?.Report(report);
                if (stoppedEarly)
                    break;
            }

            if (bestWeights is not null)
                RestoreWeights(model, bestWeights);
            else if (options.CheckpointDirectory is { } directory)
                saveCheckpoint?.Invoke(directory);
        }
        finally
        {
            DisposeAll(bestWeights);
            model.eval();
        }
        return new FineTuneResult(history.Count, best, bestStep, stoppedEarly, history);
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

    private static void SetTraining(nn.Module model, bool useDropout)
    {
        if (useDropout)
            model.train();
        else
            model.eval();
    }

    private static Dictionary<string, Tensor> CopyWeights(nn.Module model) =>
        model.state_dict().ToDictionary(entry => entry.Key, entry => entry.Value.detach().clone().DetachFromDisposeScope());

    private static void RestoreWeights(nn.Module model, Dictionary<string, Tensor> weights)
    {
        using var noGrad = no_grad();
        foreach (var (name, value) in model.state_dict())
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
