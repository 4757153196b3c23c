using Forecast.Chronos.Kernels;
using static TorchSharp.torch;

namespace Forecast.Chronos.Inference;

/// <summary>
/// One pipeline call's inference set-up, from <see cref="ChronosInferenceOptions"/>: the backend, decided once at
/// <see cref="Begin"/> (the kernels need AVX-512 or AVX2 + FMA, float32 linear weights and no autograd; <see cref="ChronosBackend.Auto"/>
/// takes them where they apply), and the opt-in process-wide tunings: malloc settings, freed-buffer reuse during the
/// call (returned at <see cref="EndChunk"/>) and generation-0 collections between chunks.
/// </summary>
internal sealed class InferenceCall : IDisposable
{
    private readonly ChronosInferenceOptions options;
    private IDisposable? reuse;

    private InferenceCall(ChronosInferenceOptions options, bool usesKernels, IDisposable? reuse)
    {
        this.options = options;
        RunsKernels = usesKernels;
        this.reuse = reuse;
    }

    /// <summary>True when this call runs in <see cref="KernelBackend"/>.</summary>
    public bool RunsKernels { get; }

    /// <param name="linearDType">dtype of the model's linear weights (float32, or bfloat16 on the opt-in path).</param>
    /// <param name="reuseFreedBuffers">
    /// Keep freed activation buffers for reuse during the call (<see cref="FreedBufferReuse"/>; only with
    /// <see cref="ChronosInferenceOptions.TuneNativeAllocator"/>).
    /// </param>
    public static InferenceCall Begin(ChronosInferenceOptions options, ScalarType linearDType, bool reuseFreedBuffers = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        var usesKernels = UsesKernels(options.Backend, KernelBackend.IsSupported, linearDType, is_grad_enabled(),
            Bf16Kernels.IsSupported || Bf16Kernels.WidensWeights);
        if (options.TuneNativeAllocator)
            NativeAllocator.Tune();
        return new InferenceCall(options, usesKernels, reuseFreedBuffers ? FreedBufferReuse.Begin() : null);
    }

    /// <summary>
    /// The decision of <see cref="Begin"/>: libtorch when asked, or with autograd on (training needs its graph);
    /// the kernels when forced (on a CPU with AVX-512 or AVX2 + FMA, else <see cref="NotSupportedException"/>), or under
    /// <see cref="ChronosBackend.Auto"/> for float32 linear weights on a CPU with AVX-512 or AVX2 + FMA, and for bfloat16
    /// ones where the kernels take them (<paramref name="bfloat16Taken"/>): through the native bfloat16 kernels (built,
    /// loadable, AVX512_BF16), or widened as they are packed where the CPU has no bfloat16 arithmetic at all
    /// (<see cref="Bf16Kernels.WidensWeights"/>: libtorch's own bfloat16 products on an AVX2 CPU made a one-series
    /// Chronos-2 call 6.5 times slower than float32). A CPU with bfloat16 arithmetic but without the native kernels keeps
    /// libtorch under Auto, whose products reach that arithmetic.
    /// </summary>
    internal static bool UsesKernels(ChronosBackend backend, bool kernelsSupported, ScalarType linearDType, bool gradEnabled,
        bool bfloat16Taken = true) =>
        backend switch
        {
            ChronosBackend.Libtorch => false,
            ChronosBackend.Kernels when !kernelsSupported => throw new NotSupportedException(
                $"The Chronos backend is set to kernels ({nameof(ChronosInferenceOptions)}.{nameof(ChronosInferenceOptions.Backend)} or "
                + $"{ChronosInferenceOptions.BackendVariable}), but this CPU has neither AVX-512 nor AVX2 with FMA; use auto or libtorch."),
            ChronosBackend.Kernels => !gradEnabled,
            _ => kernelsSupported && !gradEnabled
                && (linearDType == ScalarType.Float32 || linearDType == ScalarType.BFloat16 && bfloat16Taken),
        };

    /// <summary>
    /// The backend for the call's batch work (encoders, Bolt, Chronos-2); dispose it before opening another one (a
    /// kernel backend holds the call's threads). <paramref name="composeChains"/>: the call is large enough for
    /// <see cref="IInferenceBackend.LinearChain"/> to pay for composed weights (<see cref="KernelBackend.ComposesChains"/>).
    /// A kernel backend follows the call's freed-buffer reuse as it stands when the backend opens (one feed-forward
    /// buffer kept for the call while freed buffers are reused, <see cref="KernelBackend.ForBatch"/>): a call that turns
    /// reuse on later (<see cref="ReuseFreedBuffers"/>) opens its batch backend after that.
    /// </summary>
    /// <param name="composeChains">As <see cref="KernelBackend.ForBatch"/>.</param>
    public IInferenceBackend OpenBackend(bool composeChains = false) =>
        RunsKernels ? KernelBackend.ForBatch(composeChains, ReusesFreedBuffers) : LibtorchBackend.Instance;

    /// <summary>True while this call keeps freed buffers for reuse (and the tuned allocator makes that take effect).</summary>
    private bool ReusesFreedBuffers => reuse is not null && NativeAllocator.IsTuned;

    /// <summary>
    /// The backend for the decoder steps of a generation call of <paramref name="rows"/> decoder rows: weights packed once
    /// (into <paramref name="arena"/>'s pages) up to <see cref="GenerationRowLimit"/> rows; above that libtorch's sgemm
    /// on its own threads is as fast as the packed products, unless the kernels are forced.
    /// </summary>
    public IInferenceBackend OpenGenerationBackend(long rows, PanelArena? arena) =>
        !RunsKernels ? LibtorchBackend.Instance
        : rows <= GenerationRowLimit ? KernelBackend.ForGeneration(arena)
        : options.Backend == ChronosBackend.Kernels ? KernelBackend.ForBatch()
        : LibtorchBackend.Instance;

    /// <summary>
    /// Up to this many decoder rows generation packs its weights once per call; Chronos-T5 generates larger batches in
    /// groups of series of at most this many rows (ChronosT5Pipeline.GenerateTokens), which keeps the packed keys of
    /// the cross-attention and the caches of one group in memory at a time.
    /// </summary>
    public const long GenerationRowLimit = 128;

    /// <summary>
    /// Starts reusing freed buffers now (as <c>reuseFreedBuffers</c> of <see cref="Begin"/>), for a call that first
    /// allocates what outlives it (weights a model keeps between calls) away from the heap its activations reuse.
    /// </summary>
    public void ReuseFreedBuffers() => reuse ??= FreedBufferReuse.Begin();

    /// <summary>After a chunk of a batch: returns freed pages and collects managed garbage, as the options ask.</summary>
    public void EndChunk()
    {
        if (options.CollectGarbageBetweenChunks)
            ManagedGarbage.CollectIfDue();
        if (reuse is not null)
            FreedBufferReuse.ReturnFreePages();
    }

    public void Dispose()
    {
        reuse?.Dispose();
        if (options.CollectGarbageBetweenChunks)
            ManagedGarbage.CollectIfDue();
    }
}
