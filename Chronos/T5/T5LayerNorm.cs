using System.Runtime.CompilerServices;
using Forecast.Chronos.Inference;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>
/// T5's RMS norm: no mean subtraction and no bias (modeling_t5.py: T5LayerNorm.forward):
/// <c>weight * x * rsqrt(mean(x², -1) + eps)</c>, the variance computed in float32.
/// </summary>
internal sealed class T5LayerNorm : nn.Module
{
    private readonly Parameter weight;
    private readonly double eps;

    public T5LayerNorm(long hiddenSize, double eps) : base(nameof(T5LayerNorm))
    {
        // Detached so that building a model inside a caller's dispose scope does not free the parameter later.
        weight = new Parameter(ones(hiddenSize).DetachFromDisposeScope());
        this.eps = eps;
        RegisterComponents();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor forward(Tensor hidden, IInferenceBackend backend) => backend.RmsNorm(hidden, weight, eps);
}
