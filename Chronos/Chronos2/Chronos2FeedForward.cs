using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Inference;
using Forecast.Chronos.T5;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// Pre-norm residual relu MLP (chronos2/layers.py: FeedForward around MLP): <c>x + dropout(wo(relu(wi(norm(x)))))</c>;
/// the MLP is T5's <see cref="T5DenseActDense"/>, whose <c>wi</c>/<c>wo</c> names the checkpoint shares.
/// </summary>
internal sealed class Chronos2FeedForward : nn.Module
{
    private readonly T5DenseActDense mlp;
    private readonly T5LayerNorm layer_norm;
    private readonly Dropout dropout;

    public Chronos2FeedForward(Chronos2CoreConfig config) : base("FeedForward")
    {
        mlp = new T5DenseActDense(config.ToT5Config());
        layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        dropout = nn.Dropout(config.DropoutRate);
        RegisterComponents();
    }

    public Tensor forward(Tensor hidden, IInferenceBackend backend)
    {
        using var scope = NewDisposeScope();
        var forwarded = mlp.forward(layer_norm.forward(hidden, backend), backend);
        return backend.AddResidual(hidden, dropout.Apply(forwarded)).MoveToOuterDisposeScope();
    }
}
