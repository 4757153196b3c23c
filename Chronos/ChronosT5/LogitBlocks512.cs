using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Forecast.Chronos.ChronosT5;

/// <summary><see cref="ILogitBlocks"/> on one 512-bit vector (AVX-512).</summary>
internal readonly unsafe struct LogitBlocks512 : ILogitBlocks
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool NoneIsNaN(float* block)
    {
        var values = Vector512.Load(block);
        return Vector512.EqualsAll(values, values);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyAbove(float* block, float threshold) =>
        Vector512.GreaterThanAny(Vector512.Load(block), Vector512.Create(threshold));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CountAtLeast(float* block, float threshold) =>
        BitOperations.PopCount(Vector512.GreaterThanOrEqual(Vector512.Load(block), Vector512.Create(threshold)).ExtractMostSignificantBits());
}
