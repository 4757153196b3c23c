using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.Inference;

/// <summary>
/// The operations the T5, Bolt and Chronos-2 modules run through one implementation per call: linear products (with
/// bias and relu), the relu feed-forward, T5's RMS norm, T5-style attention and residual sums. Modules receive the
/// call's backend as an argument and never test for one: <see cref="LibtorchBackend"/> is libtorch's operations (and
/// what autograd runs through), <see cref="KernelBackend"/> our kernels (AVX-512, or AVX2 + FMA), which hand what they do not cover
/// (bfloat16 weights, dropout in training mode) to libtorch themselves. <see cref="InferenceCall"/> picks one per call;
/// disposing it ends the call's use of it (a no-op for libtorch).
/// </summary>
internal interface IInferenceBackend : IDisposable
{
    /// <summary>
    /// <c>input · Wᵀ (+ b)</c>, then relu if asked, in the input's dtype. Weights in a lower precision than the input
    /// (the opt-in bfloat16 path) are multiplied in their own dtype, as torch.autocast does on CPU.
    /// </summary>
    Tensor Linear(Linear layer, Tensor input, bool relu = false);

    /// <summary>
    /// <c>second(first(input))</c> for two linear layers without biases or activation between them (Chronos-2's group
    /// attention when every series is its own group: <c>o(v(x))</c>). A backend may multiply by the composed weight
    /// <c>W₂·W₁</c> instead, which is the same product up to the order of float32 additions: the one
    /// <paramref name="kept"/> between calls by the module that owns the layers, or one made for the call.
    /// </summary>
    Tensor LinearChain(Linear first, Linear second, Tensor input, ComposedWeight? kept = null);

    /// <summary>
    /// Makes the composed weight that <see cref="LinearChain"/> of <paramref name="rows"/> rows would keep in
    /// <paramref name="kept"/>, ahead of the call's activations (so that it is not allocated among them); nothing where
    /// the backend does not compose.
    /// </summary>
    void PrepareLinearChain(Linear first, Linear second, long rows, ComposedWeight kept);

    /// <summary>
    /// <paramref name="first"/>'s and <paramref name="second"/>'s weights in float32, for a float32 computation that reads
    /// the weights themselves (T5Attention.AttendThroughWeights): each weight itself when it is float32, else a float32
    /// copy (the opt-in bfloat16 path). The caller does not dispose them and reads them only until its next call of this
    /// method: a backend that serves one call widens every layer's pair into the same two buffers, kept until it is
    /// disposed (two copies at a time, not one pair per decoder layer for the whole call); a backend shared by calls
    /// leaves new copies to the caller's dispose scope.
    /// </summary>
    (Tensor First, Tensor Second) Float32Weights(Linear first, Linear second);

    /// <summary><c>input · weightᵀ</c> for a bare weight matrix (T5's tied output projection).</summary>
    Tensor Product(Tensor input, Tensor weight);

    /// <summary>T5's relu MLP (modeling_t5.py: T5DenseActDense): <c>wo(dropout(relu(wi(x))))</c>, no biases.</summary>
    Tensor ReluFeedForward(Linear wi, Linear wo, Tensor input, Dropout dropout);

    /// <summary>T5's RMS norm (modeling_t5.py: T5LayerNorm): <c>weight · x · rsqrt(mean(x², −1) + eps)</c>.</summary>
    Tensor RmsNorm(Tensor hidden, Tensor weight, double eps);

    /// <summary>
    /// <c>dropout(softmax(q·kᵀ + bias))·v</c> without the 1/√d scaling (T5 and Chronos-2 fold it into the weights),
    /// softmax in float32: queries (B, h, Lq, d), keys (B, h, Lk, d), values (B, h, Lk, dv), an additive bias
    /// broadcastable to (B, h, Lq, Lk) → heads merged, (B, Lq, h·dv).
    /// </summary>
    Tensor Attend(Tensor queries, Tensor keys, Tensor values, Tensor? bias, Dropout dropout);

    /// <summary>
    /// The residual sum <c>hidden + sublayerOutput</c>. Without autograd it may be written into
    /// <paramref name="sublayerOutput"/>, which must then be a fresh tensor the caller does not use again.
    /// </summary>
    Tensor AddResidual(Tensor hidden, Tensor sublayerOutput);
}
