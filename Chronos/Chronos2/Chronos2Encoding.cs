using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// What <see cref="Chronos2Model.Encode"/> returns (chronos2/model.py: encode): encoder states
/// (B, N + 1 + n_out, d), loc/scale (B, 1), the known-future mask of the output patches (B, n_out, P) that the loss
/// excludes, and the number N of context patches.
/// </summary>
public sealed record Chronos2Encoding(Tensor Hidden, Tensor Loc, Tensor Scale, Tensor FutureCovariatesMask, long ContextPatches)
    : IDisposable
{
    public Chronos2Encoding MoveToOuterDisposeScope()
    {
        Hidden.MoveToOuterDisposeScope();
        Loc.MoveToOuterDisposeScope();
        Scale.MoveToOuterDisposeScope();
        FutureCovariatesMask.MoveToOuterDisposeScope();
        return this;
    }

    public void Dispose()
    {
        Hidden.Dispose();
        Loc.Dispose();
        Scale.Dispose();
        FutureCovariatesMask.Dispose();
    }
}
