using System.Runtime.CompilerServices;
using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Inference;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.Bolt;

/// <summary>
/// <c>dropout(output_layer(relu(hidden_layer(x)))) + residual_layer(x)</c>, all with biases
/// (chronos_bolt.py: ResidualBlock, use_layer_norm False as in Chronos-Bolt and Chronos-2).
/// </summary>
internal sealed class ResidualBlock : nn.Module
{
    private readonly Linear hidden_layer;
    private readonly Linear output_layer;
    private readonly Linear residual_layer;
    private readonly Dropout dropout;

    public ResidualBlock(long inDim, long hiddenDim, long outDim, double dropoutRate) : base(nameof(ResidualBlock))
    {
        hidden_layer = nn.Linear(inDim, hiddenDim);
        output_layer = nn.Linear(hiddenDim, outDim);
        residual_layer = nn.Linear(inDim, outDim);
        dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor forward(Tensor x, IInferenceBackend backend)
    {
        using var scope = NewDisposeScope();
        var hidden = backend.Linear(hidden_layer, x, relu: true);
        var output = dropout.Apply(backend.Linear(output_layer, hidden));
        var residual = backend.Linear(residual_layer, x);
        return backend.AddResidual(residual, output).MoveToOuterDisposeScope();
    }
}
