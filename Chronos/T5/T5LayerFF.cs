using System.Runtime.CompilerServices;
using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Inference;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>Pre-norm residual feed-forward sub-layer (modeling_t5.py: T5LayerFF): <c>x + dropout(FF(norm(x)))</c>.</summary>
internal sealed class T5LayerFF : nn.Module
{
    // HF keeps the attribute name DenseReluDense for the gated variant too, so the state_dict keys match.
    private readonly nn.Module DenseReluDense;
    private readonly T5LayerNorm layer_norm;
    private readonly Dropout dropout;

    public T5LayerFF(T5Config config) : base(nameof(T5LayerFF))
    {
        DenseReluDense = config.IsGatedActivation ? new T5DenseGatedActDense(config) : new T5DenseActDense(config);
        layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        dropout = nn.Dropout(config.DropoutRate);
        RegisterComponents();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor forward(Tensor hidden, IInferenceBackend backend)
    {
        using var scope = NewDisposeScope();
        var normed = layer_norm.forward(hidden, backend);
        var transformed = DenseReluDense is T5DenseActDense relu ? relu.forward(normed, backend)
            : ((T5DenseGatedActDense)DenseReluDense).forward(normed, backend);
        return backend.AddResidual(hidden, dropout.Apply(transformed)).MoveToOuterDisposeScope();
    }
}
