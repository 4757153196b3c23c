using System.Runtime.Intrinsics;

namespace Forecast.Statistical.Tests.Arima;

/// <summary>A theory of the four-lane code: skipped, saying why, where 256-bit vectors are not in hardware.</summary>
public sealed class Vector256TheoryAttribute : TheoryAttribute
{
    public Vector256TheoryAttribute()
    {
        if (!Vector256.IsHardwareAccelerated)
            Skip = "256-bit vectors are not in hardware here: AutoARIMA computes Q0 one point at a time and never uses the lanes.";
    }
}
