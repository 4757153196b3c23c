using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Forecast.Statistical.Numerics;

/// <summary>Selection by a mask of vector lanes whose elements are each all bits set or none.</summary>
internal static class LaneMask
{
    /// <summary>
    /// <c>Vector256.ConditionalSelect(mask, whereSet, elsewhere)</c> for such a mask: the same selection, bit for bit.
    /// Without AVX-512 the compiler makes a select by a mask it cannot see to be per element (one carried from step to
    /// step, or combined from others) into three instructions (and, and-not, or); a blend by the elements' sign bits
    /// (vblendvpd) is one. With AVX-512 the three-way logic instruction is one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Select(Vector256<double> mask, Vector256<double> whereSet, Vector256<double> elsewhere) =>
        Avx.IsSupported && !Avx512F.VL.IsSupported
            ? Avx.BlendVariable(elsewhere, whereSet, mask)
            : Vector256.ConditionalSelect(mask, whereSet, elsewhere);
}
