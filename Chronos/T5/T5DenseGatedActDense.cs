using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Inference;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>
/// The gated-gelu feed-forward (modeling_t5.py: T5DenseGatedActDense):
/// <c>wo(dropout(gelu_new(wi_0(x)) * wi_1(x)))</c>, with HF's "gelu_new" (tanh approximation, activations.py: NewGELUActivation).
/// </summary>
internal sealed class T5DenseGatedActDense : nn.Module
{
    private readonly Linear wi_0;
    private readonly Linear wi_1;
    private readonly Linear wo;
    private readonly Dropout dropout;

    public T5DenseGatedActDense(T5Config config) : base(nameof(T5DenseGatedActDense))
    {
        wi_0 = nn.Linear(config.DModel, config.DFf, hasBias: false);
        wi_1 = nn.Linear(config.DModel, config.DFf, hasBias: false);
        wo = nn.Linear(config.DFf, config.DModel, hasBias: false);
        dropout = nn.Dropout(config.DropoutRate);
        RegisterComponents();
    }

    public Tensor forward(Tensor hidden, IInferenceBackend backend)
    {
        using var scope = NewDisposeScope();
        var gate = GeluNew(backend.Linear(wi_0, hidden));
        var product = dropout.Apply(gate * backend.Linear(wi_1, hidden));
        return backend.Linear(wo, product).MoveToOuterDisposeScope();
    }

    /// <summary>0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) — activations.py: NewGELUActivation.</summary>
    private static Tensor GeluNew(Tensor x) =>
        0.5 * x * (1.0 + tanh(Math.Sqrt(2.0 / Math.PI) * (x + 0.044715 * x.pow(3.0))));
}
