using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Forecast.Chronos.ChronosT5;

/// <summary><see cref="ILogitBlocks"/> on two 256-bit halves (AVX2 machines without AVX-512).</summary>
internal readonly unsafe struct LogitBlocks256 : ILogitBlocks
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool NoneIsNaN(float* block)
    {
        var (lower, upper) = (Vector256.Load(block), Vector256.Load(block + 8));
        return Vector256.EqualsAll(lower, lower) && Vector256.EqualsAll(upper, upper);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AnyAbove(float* block, float threshold)
    {
        var limit = Vector256.Create(threshold);
        return Vector256.GreaterThanAny(Vector256.Load(block), limit) || Vector256.GreaterThanAny(Vector256.Load(block + 8), limit);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int CountAtLeast(float* block, float threshold)
    {
        var limit = Vector256.Create(threshold);
        return BitOperations.PopCount(Vector256.GreaterThanOrEqual(Vector256.Load(block), limit).ExtractMostSignificantBits())
            + BitOperations.PopCount(Vector256.GreaterThanOrEqual(Vector256.Load(block + 8), limit).ExtractMostSignificantBits());
    }
}
