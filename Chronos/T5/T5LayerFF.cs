using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>Pre-norm residual feed-forward sub-layer (modeling_t5.py: T5LayerFF): <c>x + dropout(FF(norm(x)))</c>.</summary>
public sealed class T5LayerFF : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> DenseReluDense;
    private readonly T5LayerNorm layer_norm;
    private readonly Dropout dropout;

    public T5LayerFF(T5Config config) : base(nameof(T5LayerFF))
    {
        // HF keeps the attribute name DenseReluDense for the gated variant too, so the state_dict keys match.
        DenseReluDense = config.IsGatedActivation ? new T5DenseGatedActDense(config) : new T5DenseActDense(config);
        layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        dropout = nn.Dropout(config.DropoutRate);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var transformed = DenseReluDense.forward(layer_norm.forward(hidden));
        return Residual.Add(hidden, dropout.forward(transformed)).MoveToOuterDisposeScope();
    }
}
