using Forecast.Chronos.Kernels;
using Forecast.Chronos.Parallelism;
using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>
/// One float32 inference call (Chronos-Bolt's <c>Predict</c> and <c>Embed</c>) in our own AVX-512 kernels, split over
/// libtorch's thread count by helper threads: linear products (<see cref="PanelKernels"/> with each weight panel packed
/// just before use, or <see cref="DotKernels"/> reading the weights in place up to <see cref="DotRowLimit"/> rows) with
/// bias and relu applied as outputs are written, T5's RMS norm, residual sums and attention. <see cref="MixedPrecision"/>,
/// <see cref="T5LayerNorm"/>, <see cref="Residual"/>, <see cref="T5Attention"/>, the feed-forward and Bolt's residual
/// blocks consult <see cref="Current"/>; outside a session (training, bfloat16, no AVX-512) nothing changes.
/// </summary>
/// <remarks>
/// Why not libtorch's sgemm: on this AMD EPYC (Zen 5) it runs MKL's AVX2 code path, which reached 110–180 GFLOP/s on two
/// threads at Bolt's shapes against 175–215 GFLOP/s for these kernels, packing included, and at 33 rows 110–120 against
/// 180–190 (bench/Chronos <c>gemm</c>; the FMA peak is ≈ 230). The weights are never copied whole, so memory does not
/// grow. libtorch runs single-threaded meanwhile (<see cref="WorkerLease"/>): what is left to it (masks, embeddings,
/// the bias of the decoder's cross-attention) is small.
/// </remarks>
internal sealed class Float32InferenceSession : IDisposable
{
    [ThreadStatic] private static Float32InferenceSession? current;
    [ThreadStatic] private static float[]? panelBuffer;

    /// <summary>
    /// Up to this many rows a product reads the weights in place (<see cref="DotKernels"/>); above, packing a panel
    /// per use pays for itself (bench/Chronos <c>gemm</c>).
    /// </summary>
    public const int DotRowLimit = 48;

    private readonly WorkerLease workers = new();

    private Float32InferenceSession() => current = this;

    /// <summary>The session of the calling thread, or null.</summary>
    public static Float32InferenceSession? Current => current;

    /// <summary>Starts a session for float32 inference on this thread, or returns null where it does not apply.</summary>
    public static Float32InferenceSession? Begin(ScalarType dtype) =>
        current is null && PackedWeightDecoding.Current is null && dtype == ScalarType.Float32 && PackedWeight.IsSupported
            && !is_grad_enabled()
            ? new Float32InferenceSession()
            : null;

    /// <summary>True when <see cref="Multiply"/> takes these operands (float32 input, a <see cref="IsKernelWeight"/> weight).</summary>
    public static bool Accepts(Tensor input, Tensor weight) =>
        input.dtype == ScalarType.Float32 && IsKernelWeight(weight) && input.shape[^1] == weight.shape[1];

    /// <summary>True for a weight the kernels read in place: float32, 2-D, contiguous (as nn.Linear keeps it).</summary>
    public static bool IsKernelWeight(Tensor weight) =>
        weight.dtype == ScalarType.Float32 && weight.dim() == 2 && weight.is_contiguous();

    /// <summary>
    /// <c>input · weightᵀ (+ bias)</c>, then relu if asked, for float32 input (…, in), weight (out, in) and bias (out)
    /// → (…, out).
    /// </summary>
    public unsafe Tensor Multiply(Tensor input, Tensor weight, Tensor? bias = null, bool relu = false)
    {
        var (outFeatures, inFeatures) = ((int)weight.shape[0], (int)weight.shape[1]);
        var rows = (int)(input.NumberOfElements / inFeatures);
        var shape = input.shape.ToArray();
        shape[^1] = outFeatures;
        var output = empty(shape, dtype: ScalarType.Float32);
        var panelCount = (outFeatures + PanelKernels.Width - 1) / PanelKernels.Width;
        using var contiguous = input.contiguous();
        using var biasValues = bias?.contiguous();
        fixed (byte* x = contiguous.bytes)
        fixed (byte* w = weight.bytes)
        fixed (byte* y = output.bytes)
        fixed (byte* b = biasValues is null ? null : biasValues.bytes)
        {
            var (xAddress, wAddress, yAddress, bAddress) = ((nint)x, (nint)w, (nint)y, (nint)b);
            if (rows <= DotRowLimit)
            {
                var groups = (outFeatures + 3) / 4;
                workers.ForEachPart((part, parts) => DotKernels.Multiply((float*)xAddress, rows, inFeatures, (float*)wAddress,
                    Math.Min(outFeatures, groups * part / parts * 4), Math.Min(outFeatures, groups * (part + 1) / parts * 4),
                    (float*)yAddress, outFeatures, bAddress == 0 ? null : (float*)bAddress, relu));
                return output;
            }
            workers.ForEachPart((part, parts) =>
            {
                fixed (float* buffer = PanelBuffer((long)inFeatures * PanelKernels.Width))
                    PackedWeight.MultiplyPanelByPanel((float*)xAddress, rows, (float*)wAddress, outFeatures, inFeatures,
                        (float*)yAddress, bAddress == 0 ? null : (float*)bAddress, relu,
                        panelCount * part / parts, panelCount * (part + 1) / parts, Aligned(buffer));
            });
        }
        return output;
    }

    /// <summary>
    /// T5 attention (no 1/√d) of float32 queries (B, h, Lq, d) over keys (B, h, Lk, d) and values (B, h, Lk, dv) plus an
    /// additive bias broadcastable to (B, h, Lq, Lk) → heads merged, (B, Lq, h·dv): every query row through
    /// <see cref="AttentionKernels.OneQuery"/>, the (batch entry, head) pairs split over the threads. For Bolt's 33
    /// positions this replaces libtorch's single-threaded fused kernel, the query scaling it needs and the copy that merges
    /// the heads.
    /// </summary>
    public unsafe Tensor Attend(Tensor queries, Tensor keys, Tensor values, Tensor? bias)
    {
        var (batch, heads, queryLength, size) = (queries.shape[0], queries.shape[1], queries.shape[2], (int)queries.shape[3]);
        var (keyLength, valueSize) = ((int)keys.shape[2], (int)values.shape[3]);
        var output = empty([batch, queryLength, heads * valueSize], dtype: ScalarType.Float32);
        using var expanded = bias?.expand(batch, heads, queryLength, keyLength);
        var q = new StridedTensor(queries);
        var k = new StridedTensor(keys);
        var v = new StridedTensor(values);
        var b = expanded is null ? (StridedTensor?)null : new StridedTensor(expanded);
        var o = new StridedTensor(output);
        var pairs = batch * heads;
        workers.ForEachPart((part, parts) =>
        {
            var scores = stackalloc float[keyLength];
            AttentionKernels.AttendPairs(q, k, v, b, o, heads, (int)queryLength, keyLength, size, valueSize,
                pairs * part / parts, pairs * (part + 1) / parts, scores);
        });
        return output;
    }

    /// <summary><c>target += addend</c> in place for float32 tensors of the same shape (residual sums), split over the threads.</summary>
    public unsafe Tensor AddInPlace(Tensor target, Tensor addend)
    {
        using var contiguous = addend.contiguous();
        var count = target.NumberOfElements;
        fixed (byte* t = target.bytes)
        fixed (byte* a = contiguous.bytes)
        {
            var (tAddress, aAddress) = ((nint)t, (nint)a);
            workers.ForEachPart((part, parts) => RowKernels.AddInPlace((float*)tAddress, (float*)aAddress,
                count * part / parts / 16 * 16, part == parts - 1 ? count : count * (part + 1) / parts / 16 * 16));
        }
        return target;
    }

    /// <summary>T5's RMS norm (<see cref="RowKernels.RmsNorm"/>) of float32 (…, d) with a float32 weight (d), rows split over the threads.</summary>
    public unsafe Tensor RmsNorm(Tensor hidden, Tensor weight, double eps)
    {
        var width = (int)hidden.shape[^1];
        var rows = hidden.NumberOfElements / width;
        var output = empty(hidden.shape, dtype: ScalarType.Float32);
        using var contiguous = hidden.contiguous();
        fixed (byte* x = contiguous.bytes)
        fixed (byte* w = weight.bytes)
        fixed (byte* y = output.bytes)
        {
            var (xAddress, wAddress, yAddress) = ((nint)x, (nint)w, (nint)y);
            workers.ForEachPart((part, parts) => RowKernels.RmsNorm((float*)xAddress, (float*)wAddress, (float*)yAddress,
                width, (float)eps, rows * part / parts, rows * (part + 1) / parts));
        }
        return output;
    }

    /// <summary>This thread's panel buffer (pinned, with room to align its start to 64 bytes).</summary>
    private static float[] PanelBuffer(long floats)
    {
        if (panelBuffer is null || panelBuffer.Length < floats + 16)
            panelBuffer = GC.AllocateUninitializedArray<float>((int)floats + 16, pinned: true);
        return panelBuffer;
    }

    private static unsafe float* Aligned(float* start) => (float*)(((nint)start + 63) & ~(nint)63);

    public void Dispose()
    {
        current = null;
        workers.Dispose();
    }
}
