namespace Forecast.Chronos.Inference;

/// <summary>
/// How the pipelines run inference: the backend of every call, and two process-wide tunings that are off unless asked
/// for because they change the whole process, not only Chronos (a process that does nothing but forecast, such as the
/// Trainer or a benchmark, should turn both on: see docs/chronos.md, "Threads and memory").
/// </summary>
public sealed record ChronosInferenceOptions
{
    /// <summary>Environment variable read by <see cref="Backend"/>'s default: <c>auto</c>, <c>libtorch</c> or <c>kernels</c>.</summary>
    public const string BackendVariable = "FORECAST_CHRONOS_BACKEND";

    /// <summary>
    /// The backend, chosen once per call. Defaults to <see cref="BackendVariable"/> when it is set, else
    /// <see cref="ChronosBackend.Auto"/>; a value set here wins over the variable.
    /// </summary>
    public ChronosBackend Backend { get; init; } = BackendFromEnvironment();

    /// <summary>
    /// Tunes glibc's malloc for libtorch's activation buffers: a fixed 256 KiB mmap threshold and one arena from the
    /// first call on (glibc otherwise raises the threshold after large frees, and per-batch buffers then fragment the
    /// heap so that resident memory grows batch after batch although every tensor is disposed), and, during Bolt and
    /// T5 calls, freed blocks below 8 MiB kept for reuse and returned between chunks (page faults of fresh buffers were
    /// a fifth to a quarter of the CPU time). Process-wide and not undone: other native code of the process is
    /// affected too. Off by default.
    /// </summary>
    public bool TuneNativeAllocator { get; init; }

    /// <summary>
    /// Runs a generation-0 collection after a chunk of a batch once 1 MiB of managed objects has piled up since the
    /// last one: every libtorch result has a small managed wrapper that keeps resident memory up (by up to the GC's
    /// 16 MiB gen-0 budget) until a collection. Forces collections of the whole process; off by default.
    /// </summary>
    public bool CollectGarbageBetweenChunks { get; init; }

    /// <summary>Both process-wide tunings on, for a process that does nothing but forecast (the Trainer, benchmarks).</summary>
    public static ChronosInferenceOptions ForDedicatedProcess() =>
        new() { TuneNativeAllocator = true, CollectGarbageBetweenChunks = true };

    /// <summary><see cref="BackendVariable"/> parsed (case-insensitive); unset or empty is <see cref="ChronosBackend.Auto"/>.</summary>
    public static ChronosBackend BackendFromEnvironment() => ParseBackend(Environment.GetEnvironmentVariable(BackendVariable));

    internal static ChronosBackend ParseBackend(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return ChronosBackend.Auto;
        return value.Trim().ToLowerInvariant() switch
        {
            "auto" => ChronosBackend.Auto,
            "libtorch" => ChronosBackend.Libtorch,
            "kernels" => ChronosBackend.Kernels,
            _ => throw new ArgumentException(
                $"{BackendVariable}='{value}' is not a Chronos backend; use auto, libtorch or kernels."),
        };
    }
}
