using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Lora;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.Inference;

/// <summary>
/// The operations of <see cref="IInferenceBackend"/> in libtorch: what training runs (autograd), what inference runs
/// without AVX-512 or AVX2 + FMA, or with <see cref="ChronosBackend.Libtorch"/>, and what <see cref="KernelBackend"/> hands over.
/// </summary>
internal sealed class LibtorchBackend : IInferenceBackend
{
    public static readonly LibtorchBackend Instance = new();

    private LibtorchBackend()
    {
    }

    public Tensor Linear(Linear layer, Tensor input, bool relu = false)
    {
        if (LoraLayer.Find(layer) is { } lora)
        {
            // peft LoRA Linear.forward: base_layer(x) + lora_B(lora_A(dropout(x))) · scaling, before any activation.
            using var plain = Plain(layer, input, relu: false);
            using var delta = lora.Delta(input);
            var sum = plain + delta;
            return relu ? Relu(sum) : sum;
        }
        return Plain(layer, input, relu);
    }

    public void PrepareLinearChain(Linear first, Linear second, long rows, ComposedWeight kept)
    {
    }

    public (Tensor First, Tensor Second) Float32Weights(Linear first, Linear second) =>
        (Float32(first.weight!), Float32(second.weight!));

    private static Tensor Float32(Tensor weight) => weight.dtype == ScalarType.Float32 ? weight : weight.to_type(ScalarType.Float32);

    public Tensor LinearChain(Linear first, Linear second, Tensor input, ComposedWeight? kept = null)
    {
        using var inner = Linear(first, input);
        return Linear(second, inner);
    }

    private static Tensor Plain(Linear layer, Tensor input, bool relu)
    {
        var weightType = layer.weight!.dtype;
        if (weightType == input.dtype)
        {
            var output = layer.forward(input);
            return relu ? Relu(output) : output;
        }
        // The opt-in lower-precision path (torch.autocast on CPU): the product runs in the weight's dtype (AVX512-BF16
        // matrix units), norms, softmax and the residual stream stay in the input's dtype.
        using var cast = input.to_type(weightType);
        using var product = layer.forward(cast);
        if (relu)
            Relu(product);
        return product.to_type(input.dtype);
    }

    public Tensor Product(Tensor input, Tensor weight) => input.matmul(weight.t());

    public Tensor ReluFeedForward(Linear wi, Linear wo, Tensor input, Dropout dropout)
    {
        if (LoraLayer.Find(wi) is not null || LoraLayer.Find(wo) is not null)
        {
            using var adapted = dropout.Apply(Linear(wi, input, relu: true));
            return Linear(wo, adapted);
        }
        var weightType = wi.weight!.dtype;
        if (weightType == input.dtype)
        {
            using var hidden = dropout.Apply(Relu(wi.forward(input)));
            return wo.forward(hidden);
        }
        // The (rows × d_ff) intermediate stays in the weights' dtype: only the narrow input and output are cast.
        using var cast = input.to_type(weightType);
        using var inner = dropout.Apply(Relu(wi.forward(cast)));
        using var output = wo.forward(inner);
        return output.to_type(input.dtype);
    }

    public Tensor RmsNorm(Tensor hidden, Tensor weight, double eps)
    {
        using var scope = NewDisposeScope();
        var variance = hidden.to_type(ScalarType.Float32).pow(2).mean([-1L], keepdim: true);
        var normalised = hidden * (variance + eps).rsqrt();
        if (weight.dtype != ScalarType.Float32)
            normalised = normalised.to_type(weight.dtype);
        // Without autograd the weight multiplies in place (the product is the same; one activation-sized buffer less).
        return (is_grad_enabled() ? weight * normalised : normalised.mul_(weight)).MoveToOuterDisposeScope();
    }

    public Tensor Attend(Tensor queries, Tensor keys, Tensor values, Tensor? bias, Dropout dropout)
    {
        using var context = UsesFusedKernel(queries, dropout)
            ? FusedAttention(queries, keys, values, bias)
            : ExplicitAttention(queries, keys, values, bias, dropout);
        var (batch, length) = (context.shape[0], context.shape[2]);
        return context.transpose(1, 2).reshape(batch, length, context.shape[1] * context.shape[3]);
    }

    /// <summary>
    /// Without autograd the sum is written into the sub-layer's output (a fresh tensor): one activation-sized
    /// allocation less per sub-layer, and the same float32 sums (addition is commutative).
    /// </summary>
    public Tensor AddResidual(Tensor hidden, Tensor sublayerOutput) =>
        is_grad_enabled() || !sublayerOutput.shape.SequenceEqual(hidden.shape)
            ? hidden + sublayerOutput
            : sublayerOutput.add_(hidden);

    /// <summary>relu, in place without autograd (the (rows × d_ff) buffer is the largest activation of a block).</summary>
    private static Tensor Relu(Tensor x) => is_grad_enabled() ? x.relu() : x.relu_();

    /// <summary>
    /// The fused kernel (libtorch's CPU flash attention) never materialises the (B, h, Lq, Lk) scores and their
    /// softmax: for the T5 encoder and for the grouped cross-attention of generation (20 samples × 513 encoder
    /// positions per series) that was most of a decoder step. It is used only where it cannot change what the
    /// reference computes beyond float32 rounding: float32 inference (no dropout, no autograd — training keeps the
    /// explicit product the golden gradients were checked with) and several queries per key set (for a single query
    /// the explicit batched product is as fast).
    /// </summary>
    private static bool UsesFusedKernel(Tensor queries, Dropout dropout) =>
        queries.dtype == ScalarType.Float32 && queries.shape[2] > 1 && !dropout.training && !is_grad_enabled();

    /// <summary>
    /// softmax(q·kᵀ + bias)·v with the fused kernel. The kernel divides the scores by √d, which T5 and Chronos-2 do
    /// not do, so the queries are multiplied by √d first: for d = 64 (every official Chronos size) both factors are
    /// powers of two and the scores are exactly q·kᵀ; otherwise they differ by one float32 rounding.
    /// </summary>
    private static Tensor FusedAttention(Tensor queries, Tensor keys, Tensor values, Tensor? bias)
    {
        using var scaled = queries * Math.Sqrt(queries.shape[^1]);
        return nn.functional.scaled_dot_product_attention(scaled, keys, values, bias);
    }

    /// <summary>Nothing to release: the instance is shared.</summary>
    public void Dispose()
    {
    }

    private static Tensor ExplicitAttention(Tensor queries, Tensor keys, Tensor values, Tensor? bias, Dropout dropout)
    {
        using var scope = NewDisposeScope();
        var scores = queries.matmul(keys.transpose(-1, -2));
        if (bias is not null)
            scores = scores + bias;
        var weights = scores.to_type(ScalarType.Float32).softmax(-1).to_type(scores.dtype);
        weights = dropout.Apply(weights);
        return weights.matmul(values).MoveToOuterDisposeScope();   // (B, h, Lq, dv)
    }
}
