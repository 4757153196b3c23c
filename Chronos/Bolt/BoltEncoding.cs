using static TorchSharp.torch;

namespace Forecast.Chronos.Bolt;

/// <summary>
/// What <see cref="ChronosBoltModel.Encode"/> returns (chronos_bolt.py: encode): encoder states (B, N(+1), d),
/// InstanceNorm loc/scale (B, 1), the patch embeddings (+REG) fed to the encoder and their (B, N(+1)) float mask.
/// </summary>
public sealed record BoltEncoding(Tensor EncoderHidden, Tensor Loc, Tensor Scale, Tensor InputEmbeds, Tensor AttentionMask)
    : IDisposable
{
    public BoltEncoding MoveToOuterDisposeScope()
    {
        EncoderHidden.MoveToOuterDisposeScope();
        Loc.MoveToOuterDisposeScope();
        Scale.MoveToOuterDisposeScope();
        InputEmbeds.MoveToOuterDisposeScope();
        AttentionMask.MoveToOuterDisposeScope();
        return this;
    }

    public void Dispose()
    {
        EncoderHidden.Dispose();
        Loc.Dispose();
        Scale.Dispose();
        InputEmbeds.Dispose();
        AttentionMask.Dispose();
    }
}
