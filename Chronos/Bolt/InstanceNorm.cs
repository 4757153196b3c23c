using static TorchSharp.torch;

namespace Forecast.Chronos.Bolt;

/// <summary>
/// Standardisation along the last axis ignoring NaN, in float32 (chronos_bolt.py: InstanceNorm, chronos 2.3):
/// <c>loc = nanmean(x)</c> (0 if all NaN), <c>scale = sqrt(nanmean((x − loc)²))</c> (1 if all NaN, eps 1e-5 if 0).
/// </summary>
public sealed class InstanceNorm(double eps = 1e-5) : nn.Module(nameof(InstanceNorm))
{
    /// <summary>Returns (normalised x, (loc, scale)) with loc/scale shaped (B, 1); uses the given loc/scale if any.</summary>
    public (Tensor Normalised, (Tensor Loc, Tensor Scale) LocScale) forward(Tensor x, (Tensor Loc, Tensor Scale)? locScale = null)
    {
        using var scope = NewDisposeScope();
        Tensor loc, scale;
        if (locScale is { } given)
        {
            (loc, scale) = given;
        }
        else
        {
            loc = NanMean(x).nan_to_num(0.0);
            scale = NanMean((x - loc).square()).sqrt().nan_to_num(1.0);
            scale = where(scale.eq(0), full_like(scale, eps), scale);
        }
        var normalised = (x - loc) / scale;
        return (normalised.MoveToOuterDisposeScope(), (loc.MoveToOuterDisposeScope(), scale.MoveToOuterDisposeScope()));
    }

    /// <summary><c>x · scale + loc</c> (chronos_bolt.py: InstanceNorm.inverse).</summary>
    public static Tensor Inverse(Tensor x, (Tensor Loc, Tensor Scale) locScale) => x * locScale.Scale + locScale.Loc;

    /// <summary>torch.nanmean(x, -1, keepdim=True): sum of observed values / their count (NaN when none).</summary>
    private static Tensor NanMean(Tensor x)
    {
        using var observed = x.isnan().logical_not();
        using var count = observed.sum([-1L], keepdim: true, type: x.dtype);
        using var total = x.nan_to_num(0.0).sum([-1L], keepdim: true);
        return total / count;
    }
}
