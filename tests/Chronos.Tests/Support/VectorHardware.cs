using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Support;

/// <summary>Which vector widths run in hardware here, why tests of a width skip, and results compared bit for bit.</summary>
internal static class VectorHardware
{
    /// <summary>Why the 256-bit kernels' tests skip here (no AVX2 + FMA), or null where they run.</summary>
    public static string? NoAvx2Fma => Avx2.IsSupported && Fma.IsSupported ? null
        : "this CPU has no AVX2 + FMA: the 256-bit kernels are never used here and .NET would emulate their vectors, so their tests cannot run.";

    /// <summary>Why tests of 256-bit logit blocks skip here (no AVX2), or null where they run.</summary>
    public static string? NoAvx2 => Vector256.IsHardwareAccelerated ? null
        : "this CPU has no AVX2: TopCandidates' 256-bit blocks are never used here, so their tests cannot run.";

    /// <summary>The float32 elements of <paramref name="tensor"/> as their bit patterns (so −0, +0 and NaN payloads count).</summary>
    public static int[] Bits(Tensor tensor) =>
        tensor.contiguous().data<float>().ToArray().Select(BitConverter.SingleToInt32Bits).ToArray();
}

/// <summary>A fact that needs AVX2 + FMA (the 256-bit kernels): skipped, saying why, on CPUs without them.</summary>
public sealed class Avx2FmaFactAttribute : FactAttribute
{
    public Avx2FmaFactAttribute() => Skip = VectorHardware.NoAvx2Fma;
}

/// <summary>A theory that needs AVX2 + FMA (the 256-bit kernels): skipped, saying why, on CPUs without them.</summary>
public sealed class Avx2FmaTheoryAttribute : TheoryAttribute
{
    public Avx2FmaTheoryAttribute() => Skip = VectorHardware.NoAvx2Fma;
}

/// <summary>A theory that needs AVX2 (256-bit logit blocks): skipped, saying why, on CPUs without it.</summary>
public sealed class Avx2TheoryAttribute : TheoryAttribute
{
    public Avx2TheoryAttribute() => Skip = VectorHardware.NoAvx2;
}

/// <summary>A fact that needs AVX2 (256-bit logit blocks): skipped, saying why, on CPUs without it.</summary>
public sealed class Avx2FactAttribute : FactAttribute
{
    public Avx2FactAttribute() => Skip = VectorHardware.NoAvx2;
}
