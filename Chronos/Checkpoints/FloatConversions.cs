using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// Element conversions between the floating formats of checkpoints, on raw little-endian bytes, bit-identical to
/// libtorch's: float32 → bfloat16 rounds to nearest even and maps every NaN to 0x7FC0
/// (c10/util/BFloat16.h round_to_nearest_even); bfloat16 → float32 is exact (the upper 16 bits);
/// float16 ↔ float32 use .NET's IEEE conversions (round to nearest even, as c10::Half). Done here rather than
/// with one libtorch call per tensor, which on a busy 2-core machine costs a thread-pool wake-up per call.
/// </summary>
public static class FloatConversions
{
    public static void Float32ToBFloat16(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var input = MemoryMarshal.Cast<byte, uint>(source);
        var output = MemoryMarshal.Cast<byte, ushort>(destination);
        CheckLengths(input.Length, output.Length);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var one = Vector256.Create(1u);
            var bias = Vector256.Create(0x7FFFu);
            var absMask = Vector256.Create(0x7FFFFFFFu);
            var infinity = Vector256.Create(0x7F800000u);
            var nan = Vector256.Create(0x7FC0u);
            for (; i <= input.Length - 16; i += 16)
            {
                var low = Round(Vector256.Create(input.Slice(i, 8)));
                var high = Round(Vector256.Create(input.Slice(i + 8, 8)));
                Vector256.Narrow(low, high).CopyTo(output.Slice(i, 16));
            }

            Vector256<uint> Round(Vector256<uint> bits)
            {
                var rounded = (bits + bias + ((bits >>> 16) & one)) >>> 16;
                var isNan = Vector256.GreaterThan(bits & absMask, infinity);
                return Vector256.ConditionalSelect(isNan, nan, rounded);
            }
        }
        for (; i < input.Length; i++)
            output[i] = ToBFloat16(input[i]);
    }

    public static void BFloat16ToFloat32(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var input = MemoryMarshal.Cast<byte, ushort>(source);
        var output = MemoryMarshal.Cast<byte, uint>(destination);
        CheckLengths(input.Length, output.Length);
        for (var i = 0; i < input.Length; i++)
            output[i] = (uint)input[i] << 16;
    }

    public static void Float16ToFloat32(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var input = MemoryMarshal.Cast<byte, Half>(source);
        var output = MemoryMarshal.Cast<byte, float>(destination);
        CheckLengths(input.Length, output.Length);
        for (var i = 0; i < input.Length; i++)
            output[i] = (float)input[i];
    }

    public static void Float32ToFloat16(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var input = MemoryMarshal.Cast<byte, float>(source);
        var output = MemoryMarshal.Cast<byte, Half>(destination);
        CheckLengths(input.Length, output.Length);
        for (var i = 0; i < input.Length; i++)
            output[i] = (Half)input[i];
    }

    /// <summary>Whether a conversion from <paramref name="from"/> to <paramref name="to"/> is done here.</summary>
    public static bool Supports(SafetensorsDType from, SafetensorsDType to) => (from, to) is
        (SafetensorsDType.Float32, SafetensorsDType.BFloat16) or (SafetensorsDType.BFloat16, SafetensorsDType.Float32)
        or (SafetensorsDType.Float16, SafetensorsDType.Float32) or (SafetensorsDType.Float32, SafetensorsDType.Float16);

    /// <summary>Converts whole elements of <paramref name="from"/> in <paramref name="source"/> to <paramref name="to"/>.</summary>
    public static void Convert(SafetensorsDType from, SafetensorsDType to, ReadOnlySpan<byte> source, Span<byte> destination)
    {
        switch (from, to)
        {
            case (SafetensorsDType.Float32, SafetensorsDType.BFloat16): Float32ToBFloat16(source, destination); break;
            case (SafetensorsDType.BFloat16, SafetensorsDType.Float32): BFloat16ToFloat32(source, destination); break;
            case (SafetensorsDType.Float16, SafetensorsDType.Float32): Float16ToFloat32(source, destination); break;
            case (SafetensorsDType.Float32, SafetensorsDType.Float16): Float32ToFloat16(source, destination); break;
            default: throw new NotSupportedException($"no conversion from {from.HeaderName()} to {to.HeaderName()} here.");
        }
    }

    /// <summary>c10::detail::round_to_nearest_even.</summary>
    private static ushort ToBFloat16(uint bits)
    {
        if ((bits & 0x7FFFFFFFu) > 0x7F800000u)
            return 0x7FC0;
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
    }

    private static void CheckLengths(int input, int output)
    {
        if (input != output)
            throw new ArgumentException($"{input} source elements but room for {output}.");
    }
}
