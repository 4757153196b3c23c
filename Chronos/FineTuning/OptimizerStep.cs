using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.FineTuning;

/// <summary>
/// One optimisation step as HF Trainer performs it for Chronos (train.py → Trainer: loss.backward,
/// clip_grad_norm_(max_grad_norm), AdamW.step, lr scheduler step, zero_grad).
/// </summary>
public sealed class OptimizerStep : IDisposable
{
    private readonly IReadOnlyList<Parameter> parameters;
    private readonly OptimizerHelper optimizer;
    private readonly LinearWarmupSchedule schedule;
    private readonly double maxGradNorm;
    private readonly double baseLearningRate;

    /// <param name="weightDecay">HF TrainingArguments default 0.0 (TorchSharp's AdamW default is 0.01).</param>
    public OptimizerStep(nn.Module model, double learningRate, double weightDecay, double maxGradNorm, LinearWarmupSchedule schedule)
    {
        parameters = model.parameters().ToList();
        optimizer = optim.AdamW(parameters, lr: learningRate, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: weightDecay);
        this.schedule = schedule;
        this.maxGradNorm = maxGradNorm;
        baseLearningRate = learningRate;
        SetLearningRate(0);
    }

    /// <summary>Optimizer steps taken so far.</summary>
    public int Step { get; private set; }

    /// <summary>
    /// Back-propagates <paramref name="loss"/>, clips the global gradient norm and updates the parameters; returns
    /// the gradient norm before clipping (what clip_grad_norm_ returns).
    /// </summary>
    public double Apply(Tensor loss)
    {
        Backward(loss);
        return ClipAndUpdate();
    }

    /// <summary>Back-propagates only (no update), leaving gradients on the parameters — for inspection and tests.</summary>
    public void Backward(Tensor loss)
    {
        optimizer.zero_grad();
        loss.backward();
    }

    /// <summary>Clips and updates from the gradients already on the parameters; returns the pre-clip norm.</summary>
    public double ClipAndUpdate()
    {
        var norm = nn.utils.clip_grad_norm_(parameters, maxGradNorm);
        optimizer.step();
        Step++;
        SetLearningRate(Step);
        return norm;
    }

    public double LearningRate { get; private set; }

    public void Dispose() => optimizer.Dispose();

    private void SetLearningRate(int step)
    {
        LearningRate = baseLearningRate * schedule.Multiplier(step);
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = LearningRate;
    }
}
