namespace Forecast.Chronos.Inference;

/// <summary>Which implementation runs a model's products, norms, attention and residual sums during inference.</summary>
public enum ChronosBackend
{
    /// <summary>
    /// Our kernels where the CPU has AVX-512, or AVX2 with FMA, and the call is float32 inference (bfloat16 weights
    /// only where the native bfloat16 kernels run: AVX512_BF16), libtorch otherwise (the default).
    /// </summary>
    Auto,

    /// <summary>libtorch's operations only (what training always uses).</summary>
    Libtorch,

    /// <summary>
    /// Our kernels; a call fails with <see cref="NotSupportedException"/> on a CPU with neither AVX-512 nor AVX2 with FMA.
    /// </summary>
    Kernels,
}
