using Forecast.Chronos.T5;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.Bolt;

/// <summary>
/// <c>output_layer(dropout(relu(hidden_layer(x)))) + residual_layer(x)</c>, all with biases
/// (chronos_bolt.py: ResidualBlock, use_layer_norm False as in Chronos-Bolt).
/// </summary>
public sealed class ResidualBlock : nn.Module<Tensor, Tensor>
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

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        if (Float32InferenceSession.Current is { } session && !training && Float32InferenceSession.Accepts(x, hidden_layer.weight!)
            && Float32InferenceSession.IsKernelWeight(output_layer.weight!) && Float32InferenceSession.IsKernelWeight(residual_layer.weight!))
        {
            // Float32 inference: bias and relu are applied as the product's outputs are written.
            using var inner = session.Multiply(x, hidden_layer.weight!, hidden_layer.bias, relu: true);
            var sum = session.Multiply(inner, output_layer.weight!, output_layer.bias);
            using var residual = session.Multiply(x, residual_layer.weight!, residual_layer.bias);
            return sum.add_(residual).MoveToOuterDisposeScope();
        }
        var hidden = nn.functional.relu(hidden_layer.forward(x));
        var output = dropout.forward(output_layer.forward(hidden));
        return (output + residual_layer.forward(x)).MoveToOuterDisposeScope();
    }
}
