using System.Runtime.CompilerServices;
using Forecast.Chronos.FineTuning;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.Lora;

/// <summary>
/// The low-rank update of one linear layer while an adapter is attached (peft tuners/lora/layer.py: Linear.forward):
/// <c>base(x) + lora_B(lora_A(dropout(x))) · scaling</c>. Attached layers are looked up by the libtorch backend's
/// product (<see cref="Find"/>); the kernel backend hands them to libtorch. A merged adapter is detached, so inference
/// runs the plain (merged) weights.
/// </summary>
internal sealed class LoraLayer(Linear layer, Parameter a, Parameter b, double scaling, double dropout)
{
    private static readonly ConditionalWeakTable<Linear, LoraLayer> Attached = new();

    public Linear Layer { get; } = layer;
    public Parameter A { get; } = a;
    public Parameter B { get; } = b;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static LoraLayer? Find(Linear layer) => Attached.TryGetValue(layer, out var lora) ? lora : null;

    public void Attach() => Attached.AddOrUpdate(Layer, this);

    public void Detach()
    {
        if (Attached.TryGetValue(Layer, out var current) && ReferenceEquals(current, this))
            Attached.Remove(Layer);
    }

    /// <summary>The update for <paramref name="input"/> in the input's dtype.</summary>
    public Tensor Delta(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.dtype == A.dtype ? input : input.to_type(A.dtype);
        if (dropout > 0 && Layer.training)
            x = FitDropout.Apply(x, dropout);
        var update = nn.functional.linear(nn.functional.linear(x, A), B) * scaling;
        return (update.dtype == input.dtype ? update : update.to_type(input.dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>peft merge: W += scaling · B · A (in W's dtype).</summary>
    public void Merge()
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var delta = B.matmul(A) * scaling;
        Layer.weight!.add_(delta.to_type(Layer.weight!.dtype));
    }
}
