using static TorchSharp.torch;

namespace Forecast.Chronos.Bolt;

/// <summary>
/// Splits (B, T) into patches (B, N, P), left-padding with NaN to a multiple of the patch size
/// (chronos_bolt.py: Patch.forward).
/// </summary>
public sealed class Patch(int patchSize, int patchStride) : nn.Module<Tensor, Tensor>(nameof(Patch))
{
    public override Tensor forward(Tensor x)
    {
        var length = x.shape[^1];
        if (length % patchSize == 0)
            return x.unfold(-1, patchSize, patchStride);
        using var padding = full([.. x.shape[..^1], patchSize - length % patchSize], float.NaN, dtype: x.dtype, device: x.device);
        using var padded = cat([padding, x], -1);
        return padded.unfold(-1, patchSize, patchStride);
    }
}
