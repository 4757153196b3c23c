using Forecast.Chronos.Bolt;
using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// Chronos-2's scaling (chronos_bolt.py: InstanceNorm with <c>use_arcsinh</c>): Bolt's NaN-aware standardisation
/// in float32, then <c>asinh</c> when configured (official checkpoints: on), which compresses outliers;
/// <see cref="Inverse"/> applies <c>sinh</c> before <c>· scale + loc</c>.
/// </summary>
public sealed class ArcsinhInstanceNorm(bool useArcsinh)
{
    private readonly InstanceNorm standardise = new();

    public bool UseArcsinh => useArcsinh;

    /// <summary>Normalised x (float32, NaN kept) and (loc, scale) (B, 1); uses the given loc/scale if any.</summary>
    public (Tensor Normalised, (Tensor Loc, Tensor Scale) LocScale) Forward(Tensor x, (Tensor Loc, Tensor Scale)? locScale = null)
    {
        var (normalised, stats) = standardise.forward(x.to_type(ScalarType.Float32), locScale);
        if (!useArcsinh)
            return (normalised, stats);
        using (normalised)
            return (normalised.asinh(), stats);
    }

    /// <summary>InstanceNorm.inverse: <c>sinh(x)</c> if arcsinh, then <c>x · scale + loc</c>, in float32.</summary>
    public Tensor Inverse(Tensor x, (Tensor Loc, Tensor Scale) locScale)
    {
        using var scope = NewDisposeScope();
        var y = x.to_type(ScalarType.Float32);
        if (useArcsinh)
            y = y.sinh();
        return InstanceNorm.Inverse(y, locScale).MoveToOuterDisposeScope();
    }
}
