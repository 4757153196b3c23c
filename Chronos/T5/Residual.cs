using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>
/// The residual connection <c>x + sublayer(x)</c> of every T5 sub-layer. Without autograd the sum is written into the
/// sub-layer's output (a fresh tensor): one activation-sized allocation less per sub-layer, and the same float32 sums
/// (addition is commutative).
/// </summary>
internal static class Residual
{
    public static Tensor Add(Tensor hidden, Tensor sublayerOutput) =>
        is_grad_enabled() ? hidden + sublayerOutput : sublayerOutput.add_(hidden);
}
