using System.Text;

namespace Forecast.Trainer.Sharding;

/// <summary>
/// 64-bit FNV-1a over the UTF-8 bytes of a string: the same number on every machine, process and .NET version, which
/// <see cref="string.GetHashCode()"/> is not (it is randomized per process). Shard assignment must agree between N
/// independent Trainer processes and the merge, so it hashes with this.
/// </summary>
/// <remarks>Constants from the FNV reference (Fowler, Noll, Vo; draft-eastlake-fnv, section 2.1): offset basis
/// 14695981039346656037 and prime 2^40 + 2^8 + 0xb3 = 1099511628211.</remarks>
public static class StableHash
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Fnv1a64(string text)
    {
        int length = Encoding.UTF8.GetByteCount(text);
        Span<byte> bytes = length <= 512 ? stackalloc byte[length] : new byte[length];
        Encoding.UTF8.GetBytes(text, bytes);
        return Fnv1a64(bytes);
    }

    public static ulong Fnv1a64(ReadOnlySpan<byte> bytes)
    {
        ulong hash = OffsetBasis;
        foreach (byte b in bytes)
        {
            hash ^= b;
            hash *= Prime;
        }
        return hash;
    }
}
