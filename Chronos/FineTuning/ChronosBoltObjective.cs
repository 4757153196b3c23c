using Forecast.Chronos.Bolt;
using static TorchSharp.torch;

namespace Forecast.Chronos.FineTuning;

/// <summary>Chronos-Bolt fine-tuning loss: the quantile (pinball) loss of chronos_bolt.py: forward(target=…).</summary>
public sealed class ChronosBoltObjective(ChronosBoltModel model) : IFineTuneObjective
{
    public nn.Module Model => model;
    public int ContextLength => model.ChronosConfig.ContextLength;
    public int PredictionLength => model.ChronosConfig.PredictionLength;
    public bool InjectMissingValues => false;

    public Tensor Loss(Tensor context, Tensor future)
    {
        using var scope = NewDisposeScope();
        var (_, loss) = model.forward(context, target: future);
        return loss!.MoveToOuterDisposeScope();
    }
}
