using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>
/// The relu feed-forward (modeling_t5.py: T5DenseActDense): <c>wo(dropout(relu(wi(x))))</c>, no biases.
/// </summary>
public sealed class T5DenseActDense : nn.Module<Tensor, Tensor>
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

    public override Tensor forward(Tensor hidden)
    {
        // In a float32 inference call the relu is applied as the first product's outputs are written.
        if (Float32InferenceSession.Current is { } session && !training && Float32InferenceSession.Accepts(hidden, wi.weight!)
            && Float32InferenceSession.IsKernelWeight(wo.weight!))
        {
            using var inner = session.Multiply(hidden, wi.weight!, relu: true);
            return session.Multiply(inner, wo.weight!);
        }
        // In place: the (rows × d_ff) buffer is the largest activation of a block; relu_ keeps one copy of it.
        return MixedPrecision.DenseActDense(wi, x => dropout.forward(x.relu_()), wo, hidden);
    }
}
