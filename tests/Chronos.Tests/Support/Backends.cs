using System.Reflection;
using Forecast.Chronos.Inference;
using Forecast.Chronos.Kernels;
using Xunit.Sdk;

namespace Forecast.Chronos.Tests.Support;

/// <summary>The inference backends tests run under, and why the kernels' cases skip on a CPU without their instructions.</summary>
internal static class Backends
{
    public const string NoKernels =
        "this CPU has neither AVX-512 nor AVX2 with FMA: the kernel backend is never used here (ChronosBackend.Auto takes "
        + "libtorch), so its tests cannot run.";

    /// <summary>Why the native bfloat16 kernels' tests skip here, or null where they run.</summary>
    public static string? NoBf16Kernels => Bf16Kernels.IsSupported ? null
        : $"the native bfloat16 kernels do not run here ({Bf16Kernels.LibraryFile} not built — no g++ — or this CPU has no "
          + "AVX512_BF16): bfloat16 weights are widened for the float32 kernels or stay in libtorch, so the native kernels' tests cannot run.";

    /// <summary>Skip reason for <paramref name="backend"/> on this CPU, or null.</summary>
    public static string? SkipReason(ChronosBackend backend) =>
        backend == ChronosBackend.Kernels && !KernelBackend.IsSupported ? NoKernels : null;

    /// <summary>Pipeline options that force <paramref name="backend"/> (never <see cref="ChronosBackend.Auto"/>: a test says which path it checks).</summary>
    public static ChronosInferenceOptions Options(ChronosBackend backend) => new() { Backend = backend };

    /// <summary>A backend for model-level calls (the caller is in no_grad and disposes it).</summary>
    public static IInferenceBackend Open(ChronosBackend backend) =>
        backend == ChronosBackend.Kernels ? KernelBackend.ForBatch() : LibtorchBackend.Instance;
}

/// <summary>A fact that needs the kernels (AVX-512, or AVX2 + FMA): skipped, saying why, on CPUs without them.</summary>
public sealed class KernelsFactAttribute : FactAttribute
{
    public KernelsFactAttribute() => Skip = Backends.SkipReason(ChronosBackend.Kernels);
}

/// <summary>A theory that needs the kernels (AVX-512, or AVX2 + FMA): skipped, saying why, on CPUs without them.</summary>
public sealed class KernelsTheoryAttribute : TheoryAttribute
{
    public KernelsTheoryAttribute() => Skip = Backends.SkipReason(ChronosBackend.Kernels);
}

/// <summary>Theory rows (backend) for one backend; the kernels' row is skipped on CPUs without them.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class BackendAttribute : DataAttribute
{
    public BackendAttribute(ChronosBackend backend)
    {
        Backend = backend;
        Skip = Backends.SkipReason(backend);
    }

    public ChronosBackend Backend { get; }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [[Backend]];
}

/// <summary>
/// Theory rows (series, backend): every series of a golden set's summary.json (set-a by default, or the official
/// dummy checkpoint <see cref="Dummy"/>) under one backend; the kernels' rows are skipped on CPUs without them.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class SeriesAttribute : DataAttribute
{
    public SeriesAttribute(ChronosBackend backend)
    {
        Backend = backend;
        Skip = Backends.SkipReason(backend);
    }

    public ChronosBackend Backend { get; }

    /// <summary>An official dummy checkpoint's folder name (dummy-models/summary.json); null for set-a.</summary>
    public string? Dummy { get; set; }

    /// <summary>
    /// Chronos-T5 greedy cases only for series whose smallest top-2 logit gap along the greedy path (summary.json) is
    /// comfortably above float32 rounding (≥ 1e-3): the others may swap tokens on any rounding difference.
    /// </summary>
    public bool ComfortableGreedyGapOnly { get; set; }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod)
    {
        var names = Dummy is null ? Fixtures.SeriesNames : Fixtures.DummySeriesNames(Dummy);
        if (ComfortableGreedyGapOnly)
            names = names.Where(Fixtures.HasComfortableGreedyGap).ToArray();
        return names.Select(name => new object[] { name, Backend });
    }
}

/// <summary>A fact that needs the native bfloat16 kernels (built by g++, AVX512_BF16): skipped, saying why, elsewhere.</summary>
public sealed class Bf16FactAttribute : FactAttribute
{
    public Bf16FactAttribute() => Skip = Backends.NoBf16Kernels;
}

/// <summary>A theory that needs the native bfloat16 kernels: skipped, saying why, elsewhere.</summary>
public sealed class Bf16TheoryAttribute : TheoryAttribute
{
    public Bf16TheoryAttribute() => Skip = Backends.NoBf16Kernels;
}

/// <summary>
/// A theory of the kernels' widened bfloat16 products (float32 kernels on bfloat16 weights): needs the kernels and a CPU
/// without bfloat16 arithmetic (<see cref="Bf16Kernels.WidensWeights"/>); skipped, saying why, elsewhere.
/// </summary>
public sealed class WidenedBf16TheoryAttribute : TheoryAttribute
{
    public WidenedBf16TheoryAttribute() =>
        Skip = Backends.SkipReason(ChronosBackend.Kernels)
            ?? (Bf16Kernels.WidensWeights ? null
                : "this CPU has bfloat16 arithmetic (or the native bfloat16 kernels run): bfloat16 weights are not widened here");
}
