using Forecast.Chronos.FineTuning;
using TorchSharp;
using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// Fine-tunes Chronos-2 on tasks with variates and covariates (chronos2/pipeline.py: fit, full mode, with the
/// HF Trainer settings it passes): windows of whole tasks (<see cref="Chronos2TrainingWindows"/>), the model's loss
/// with ⌈H / P⌉ output patches, AdamW with the linear schedule and gradient clipping of the shared
/// <see cref="OptimizerStep"/>, validation on every task's last window, early stopping with the best weights restored.
/// The reference's defaults: learning rate 1e-6, batch 256 rows, 1000 steps, min_past = prediction_length, no warm-up.
/// Univariate series can also go through the shared <see cref="ChronosFineTuner"/> with <see cref="Chronos2Objective"/>.
/// </summary>
public sealed class Chronos2FineTuner(Chronos2Model model)
{
    public FineTuneResult Fit(IReadOnlyList<Chronos2Input> tasks, int predictionLength, FineTuneOptions options,
        IReadOnlyCollection<string>? knownFutureCovariates = null, IProgress<FineTuneProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        TorchRuntime.EnsureLoaded();
        random.manual_seed(options.Seed);
        var contextLength = Math.Min(options.ContextLength ?? model.ChronosConfig.ContextLength, model.ChronosConfig.ContextLength);
        var windows = new Chronos2TrainingWindows(tasks, contextLength, predictionLength, options.MinPast, knownFutureCovariates, options.Seed);
        var outputPatches = (predictionLength + model.PatchSize - 1) / model.PatchSize;
        var warmup = (int)Math.Ceiling(options.WarmupRatio * options.MaxSteps);
        using var optimizer = new OptimizerStep(model, options.LearningRate, options.WeightDecay, options.MaxGradNorm,
            new LinearWarmupSchedule(warmup, options.MaxSteps));
        var validate = options.ValidationInterval > 0;
        var history = new List<FineTuneProgress>();
        double? best = null;
        var bestStep = 0;
        Dictionary<string, Tensor>? bestWeights = null;
        var withoutImprovement = 0;
        var stoppedEarly = false;
        try
        {
            for (var step = 1; step <= options.MaxSteps; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                double loss, gradNorm;
                using (var scope = NewDisposeScope())
                using (var batch = windows.Sample(options.BatchSize))
                {
                    if (options.UseDropout)
                        model.train();
                    else
                        model.eval();
                    var batchLoss = Loss(batch, outputPatches);
                    loss = batchLoss.item<float>();
                    if (!double.IsFinite(loss))
                        throw new InvalidOperationException(
                            $"The training loss became {loss} at step {step}; lower LearningRate or check the series for extreme values.");
                    gradNorm = optimizer.Apply(batchLoss);
                }

                double? validationLoss = null;
                if (validate && (step % options.ValidationInterval == 0 || step == options.MaxSteps))
                {
                    validationLoss = ValidationLoss(windows, options.BatchSize, outputPatches);
                    if (best is null || validationLoss < best)
                    {
                        (best, bestStep, withoutImprovement) = (validationLoss, step, 0);
                        DisposeAll(bestWeights);
                        bestWeights = model.state_dict().ToDictionary(e => e.Key, e => e.Value.detach().clone().DetachFromDisposeScope());
                    }
                    else if (options.EarlyStoppingPatience > 0 && ++withoutImprovement >= options.EarlyStoppingPatience)
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
            {
                using var noGrad = no_grad();
                foreach (var (name, value) in model.state_dict())
                    value.copy_(bestWeights[name]);
            }
        }
        finally
        {
            DisposeAll(bestWeights);
            model.eval();
        }
        return new FineTuneResult(history.Count, best, bestStep, stoppedEarly, history);
    }

    /// <summary>Mean loss over every task's last window (weighted by rows), eval mode, no gradients.</summary>
    public double ValidationLoss(Chronos2TrainingWindows windows, int batchSize, int outputPatches)
    {
        model.eval();
        using var noGrad = no_grad();
        double total = 0;
        long rows = 0;
        foreach (var batch in windows.ValidationBatches(batchSize))
        {
            using (batch)
            using (var scope = NewDisposeScope())
            {
                var count = batch.Context.shape[0];
                total += Loss(batch, outputPatches).item<float>() * count;
                rows += count;
            }
        }
        return total / rows;
    }

    private Tensor Loss(Chronos2TrainingBatch batch, int outputPatches) =>
        model.forward(batch.Context, groupIds: batch.GroupIds, futureCovariates: batch.FutureCovariates,
            numOutputPatches: outputPatches, futureTarget: batch.FutureTarget).Loss!;

    private static void DisposeAll(Dictionary<string, Tensor>? weights)
    {
        if (weights is null)
            return;
        foreach (var tensor in weights.Values)
            tensor.Dispose();
        weights.Clear();
    }
}
