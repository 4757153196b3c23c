using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>
/// T5's RMS norm: no mean subtraction and no bias (modeling_t5.py: T5LayerNorm.forward):
/// <c>weight * x * rsqrt(mean(x², -1) + eps)</c>, the variance computed in float32.
/// </summary>
public sealed class T5LayerNorm : nn.Module<Tensor, Tensor>
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

    public override Tensor forward(Tensor hidden)
    {
        if (Float32InferenceSession.Current is { } session && hidden.dtype == ScalarType.Float32 && weight.dtype == ScalarType.Float32)
            return session.RmsNorm(hidden, weight, eps);
        using var scope = NewDisposeScope();
        var variance = hidden.to_type(ScalarType.Float32).pow(2).mean([-1L], keepdim: true);
        var normalised = hidden * (variance + eps).rsqrt();
        if (weight.dtype != ScalarType.Float32)
            normalised = normalised.to_type(weight.dtype);
        // Without autograd the weight multiplies in place (the product is the same; one activation-sized buffer less).
        return (is_grad_enabled() ? weight * normalised : normalised.mul_(weight)).MoveToOuterDisposeScope();
    }
}
