using System.Runtime.CompilerServices;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.FineTuning;

/// <summary>
/// Dropout that draws from the running fit's own generator (<see cref="FitRandomness"/>): libtorch's dropout draws only
/// from the process's default generator. Outside a fit's training step, or in eval mode, it is the module's own forward.
/// </summary>
internal static class FitDropout
{
    /// <summary><paramref name="dropout"/>.forward(<paramref name="input"/>), its mask drawn from the running fit's generator.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Tensor Apply(this Dropout dropout, Tensor input) =>
        dropout.training && dropout.p > 0 && FitRandomness.Running is { } generator
            ? Drop(input, dropout.p, generator)
            : dropout.forward(input);

    /// <summary>nn.functional.dropout in training mode with probability <paramref name="p"/> (peft's lora_dropout).</summary>
    public static Tensor Apply(Tensor input, double p) =>
        FitRandomness.Running is { } generator ? Drop(input, p, generator) : nn.functional.dropout(input, p, training: true);

    /// <summary>ATen's dropout (_dropout_impl): a Bernoulli(1 − p) mask scaled by 1 / (1 − p), times the input.</summary>
    private static Tensor Drop(Tensor input, double p, Generator generator)
    {
        // ATen's dropout multiplies by zero at p = 1 (the mask's 1 / (1 − p) would be 0 · ∞ = NaN).
        if (p == 1)
            return input * 0.0;
        using var noise = empty_like(input).bernoulli_(1 - p, generator);
        noise.div_(1 - p);
        return input * noise;
    }
}
