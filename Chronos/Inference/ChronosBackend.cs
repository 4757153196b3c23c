namespace Forecast.Chronos.Inference;

/// <summary>Which implementation runs a model's products, norms, attention and residual sums during inference.</summary>
public enum ChronosBackend
{
    /// <summary>
    /// Our AVX-512 kernels where the CPU has AVX-512 and the call is float32 inference, libtorch otherwise (the
    /// default).
    /// </summary>
    Auto,

    /// <summary>libtorch's operations only (what training always uses).</summary>
    Libtorch,

    /// <summary>Our AVX-512 kernels; a call fails with <see cref="NotSupportedException"/> on a CPU without AVX-512.</summary>
    Kernels,
}
