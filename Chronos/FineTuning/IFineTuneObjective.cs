using static TorchSharp.torch;

namespace Forecast.Chronos.FineTuning;

/// <summary>What a model family contributes to fine-tuning: its module, window sizes and training loss.</summary>
public interface IFineTuneObjective
{
    nn.Module Model { get; }
    int ContextLength { get; }
    int PredictionLength { get; }

    /// <summary>Whether windows get random missing values (train.py does it for Chronos-T5 only).</summary>
    bool InjectMissingValues { get; }

    /// <summary>Scalar loss of a batch of windows (context (B, C), future (B, H)).</summary>
    Tensor Loss(Tensor context, Tensor future);
}
