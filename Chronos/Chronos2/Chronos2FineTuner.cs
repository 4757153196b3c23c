using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Lora;
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
        var contextLength = Math.Min(options.ContextLength ?? model.ChronosConfig.ContextLength, model.ChronosConfig.ContextLength);
        var windows = new Chronos2TrainingWindows(tasks, contextLength, predictionLength, options.MinPast, knownFutureCovariates, options.Seed);
        var outputPatches = (predictionLength + model.PatchSize - 1) / model.PatchSize;
        return new FineTuningLoop(model, options).Run(
            () =>
            {
                // The batch's tensors belong to the loop's per-step dispose scope.
                var batch = windows.Sample(options.BatchSize);
                return Loss(batch, outputPatches);
            },
            () => ValidationLoss(windows, options.BatchSize, outputPatches),
            onNewBest: null, progress, cancellationToken);
    }

    /// <summary>
    /// LoRA fine-tuning (pipeline.py: fit with finetune_mode="lora"): a fresh <see cref="LoraAdapter"/> on the layers
    /// <paramref name="lora"/> targets (by default the attention projections and the output head's output layer) is
    /// trained with the model's own weights frozen, the same loop and windows as <see cref="Fit"/>; at the end the
    /// adapter is merged into the weights (forecasts run at full speed) and returned for <see cref="LoraAdapter.Save"/>.
    /// The reference recommends a higher learning rate than full fine-tuning (1e-5 or more).
    /// </summary>
    public (FineTuneResult Result, LoraAdapter Adapter) FitLora(IReadOnlyList<Chronos2Input> tasks, int predictionLength, FineTuneOptions options,
        LoraConfig? lora = null, IReadOnlyCollection<string>? knownFutureCovariates = null, IProgress<FineTuneProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        TorchRuntime.EnsureLoaded();
        using var randomness = new FitRandomness(options.Seed);
        var frozen = model.parameters().Where(p => p.requires_grad).ToList();
        var adapter = LoraAdapter.Inject(model, lora ?? new LoraConfig(), randomness.Generator);
        try
        {
            foreach (var parameter in frozen)
                parameter.requires_grad = false;
            var contextLength = Math.Min(options.ContextLength ?? model.ChronosConfig.ContextLength, model.ChronosConfig.ContextLength);
            var windows = new Chronos2TrainingWindows(tasks, contextLength, predictionLength, options.MinPast, knownFutureCovariates, options.Seed);
            var outputPatches = (predictionLength + model.PatchSize - 1) / model.PatchSize;
            var result = new FineTuningLoop(model, options, adapter, randomness).Run(
                () => Loss(windows.Sample(options.BatchSize), outputPatches),
                () => ValidationLoss(windows, options.BatchSize, outputPatches),
                onNewBest: null, progress, cancellationToken);
            adapter.Merge();
            model.InvalidateComposedWeights();
            return (result, adapter);
        }
        catch
        {
            adapter.Dispose();
            throw;
        }
        finally
        {
            foreach (var parameter in frozen)
                parameter.requires_grad = true;
        }
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
}
