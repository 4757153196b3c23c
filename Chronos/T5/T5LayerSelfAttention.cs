using System.Runtime.CompilerServices;
using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Inference;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>Pre-norm residual self-attention sub-layer (modeling_t5.py: T5LayerSelfAttention).</summary>
internal sealed class T5LayerSelfAttention : nn.Module
{
    private readonly T5Attention SelfAttention;
    private readonly T5LayerNorm layer_norm;
    private readonly Dropout dropout;

    public T5LayerSelfAttention(T5Config config, bool hasRelativeAttentionBias) : base(nameof(T5LayerSelfAttention))
    {
        SelfAttention = new T5Attention(config, hasRelativeAttentionBias);
        layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        dropout = nn.Dropout(config.DropoutRate);
        RegisterComponents();
    }

    public T5Attention Attention => SelfAttention;

    /// <summary><c>x + dropout(attn(norm(x)))</c> over the whole sequence.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor forward(Tensor hidden, Tensor? bias, IInferenceBackend backend)
    {
        using var scope = NewDisposeScope();
        var attended = SelfAttention.SelfAttend(layer_norm.forward(hidden, backend), bias, backend);
        return backend.AddResidual(hidden, dropout.Apply(attended)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// One decoding step (N, 1, d): appends this position's key/value to the cache and attends over positions 0…step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor Step(Tensor hidden, T5LayerCache cache, Tensor bias, IInferenceBackend backend)
    {
        using var scope = NewDisposeScope();
        var normed = layer_norm.forward(hidden, backend);
        var (keys, values) = cache.AppendSelf(SelfAttention.ProjectKeys(normed, backend), SelfAttention.ProjectValues(normed, backend));
        var attended = SelfAttention.Attend(SelfAttention.ProjectQueries(normed, backend), keys, values, bias, backend);
        return backend.AddResidual(hidden, dropout.Apply(attended)).MoveToOuterDisposeScope();
    }
}
