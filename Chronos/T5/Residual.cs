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
        is_grad_enabled() ? hidden + sublayerOutput
        : Float32InferenceSession.Current is { } session && IsPlainFloat32(hidden, sublayerOutput)
            ? session.AddInPlace(sublayerOutput, hidden)
            : sublayerOutput.add_(hidden);

    private static bool IsPlainFloat32(Tensor a, Tensor b) =>
        a.dtype == ScalarType.Float32 && b.dtype == ScalarType.Float32 && b.is_contiguous() && a.shape.SequenceEqual(b.shape);
}
