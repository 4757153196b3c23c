using System.Runtime.CompilerServices;
using Forecast.Chronos.Inference;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>
/// The relu feed-forward (modeling_t5.py: T5DenseActDense): <c>wo(dropout(relu(wi(x))))</c>, no biases.
/// </summary>
internal sealed class T5DenseActDense : nn.Module
{
    private readonly Linear wi;
    private readonly Linear wo;
    private readonly Dropout dropout;

    public T5DenseActDense(T5Config config) : base(nameof(T5DenseActDense))
    {
        wi = nn.Linear(config.DModel, config.DFf, hasBias: false);
        wo = nn.Linear(config.DFf, config.DModel, hasBias: false);
        dropout = nn.Dropout(config.DropoutRate);
        RegisterComponents();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor forward(Tensor hidden, IInferenceBackend backend) => backend.ReluFeedForward(wi, wo, hidden, dropout);
}
