using System.Runtime.CompilerServices;
using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Inference;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.T5;

/// <summary>
/// A T5 encoder or decoder stack (modeling_t5.py: T5Stack) working on input embeddings: the embedding table
/// (<c>shared</c>) belongs to the model, as Chronos-Bolt feeds patch embeddings instead of token ids. The relative
/// position bias is computed once by block 0 and, with the mask added, reused by every block.
/// </summary>
internal sealed class T5Stack : nn.Module
{
    private readonly ModuleList<T5Block> block;
    private readonly T5LayerNorm final_layer_norm;
    private readonly Dropout dropout;
    private readonly bool isDecoder;

    public T5Stack(T5Config config, bool isDecoder) : base(isDecoder ? "decoder" : "encoder")
    {
        this.isDecoder = isDecoder;
        var layers = isDecoder ? config.NumDecoderLayers : config.NumLayers;
        block = new ModuleList<T5Block>(
            Enumerable.Range(0, layers).Select(i => new T5Block(config, isDecoder, hasRelativeAttentionBias: i == 0)).ToArray());
        final_layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        dropout = nn.Dropout(config.DropoutRate);
        RegisterComponents();
    }

    public int BlockCount => block.Count;

    /// <summary>
    /// The additive mask HF builds from a 0/1 attention mask (modeling_utils.py: get_extended_attention_mask):
    /// <c>(1 − mask)[:, None, None, :] · finfo(dtype).min</c> in the model's dtype, shape (B, 1, 1, L).
    /// </summary>
    public static Tensor ExtendedMask(Tensor attentionMask, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var inverted = 1.0 - attentionMask.to_type(dtype);
        return (inverted * MinValue(dtype)).unsqueeze(1).unsqueeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>torch.finfo(dtype).min, the "minus infinity" HF masks with.</summary>
    public static double MinValue(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => float.MinValue,
        ScalarType.BFloat16 => -3.3895313892515355e38,
        ScalarType.Float16 => -65504.0,
        ScalarType.Float64 => double.MinValue,
        _ => throw new ArgumentException($"{dtype} is not a floating-point model dtype.", nameof(dtype)),
    };

    /// <summary>Encoder: (B, L, d) embeddings and (B, L) mask → last hidden state (B, L, d).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor Encode(Tensor inputsEmbeds, Tensor attentionMask, IInferenceBackend backend)
    {
        RequireRole(decoder: false);
        using var scope = NewDisposeScope();
        var length = inputsEmbeds.shape[1];
        var bias = block[0].SelfAttention.ComputeBias(length, length, bidirectional: true)
            + ExtendedMask(attentionMask, inputsEmbeds.dtype);
        var hidden = dropout.Apply(inputsEmbeds);
        foreach (var layer in block)
            hidden = ReplaceHidden(hidden, layer.forward(hidden, bias, backend), inputsEmbeds);
        return dropout.Apply(final_layer_norm.forward(hidden, backend)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Decoder over a whole target sequence (teacher forcing, training): (B·G, L, d) embeddings, causal
    /// self-attention, cross-attention to (B, Le, d) encoder states with the (B, Le) encoder mask.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor Decode(Tensor inputsEmbeds, Tensor encoderHidden, Tensor encoderMask, IInferenceBackend backend)
    {
        RequireRole(decoder: true);
        using var scope = NewDisposeScope();
        var length = inputsEmbeds.shape[1];
        var causal = ones(length, length, dtype: ScalarType.Bool, device: inputsEmbeds.device).tril();
        var causalBias = zeros(length, length, dtype: inputsEmbeds.dtype, device: inputsEmbeds.device)
            .masked_fill(causal.logical_not(), MinValue(inputsEmbeds.dtype)).unsqueeze(0).unsqueeze(0);
        var bias = block[0].SelfAttention.ComputeBias(length, length, bidirectional: false) + causalBias;
        var crossMask = ExtendedMask(encoderMask, inputsEmbeds.dtype);
        var hidden = dropout.Apply(inputsEmbeds);
        // One position per encoder row in inference on float32 activations (Chronos-Bolt's decoder step, float32 or
        // bfloat16 weights): attend through the key/value weights instead of projecting every encoder state
        // (T5Attention.AttendThroughWeights).
        if (length == 1 && encoderHidden.shape[0] == inputsEmbeds.shape[0] && !training && !is_grad_enabled()
            && encoderHidden.dtype == ScalarType.Float32
            && block[0].CrossAttention.WeightDType is ScalarType.Float32 or ScalarType.BFloat16)
        {
            foreach (var layer in block)
                hidden = ReplaceHidden(hidden, layer.DecodeOnePosition(hidden, bias, encoderHidden, crossMask, backend), inputsEmbeds);
            return dropout.Apply(final_layer_norm.forward(hidden, backend)).MoveToOuterDisposeScope();
        }
        foreach (var layer in block)
        {
            var cross = layer.CrossAttention;
            using var keys = cross.ProjectKeys(encoderHidden, backend);
            using var values = cross.ProjectValues(encoderHidden, backend);
            hidden = ReplaceHidden(hidden, layer.forward(hidden, bias, backend, (keys, values, crossMask)), inputsEmbeds);
        }
        return dropout.Apply(final_layer_norm.forward(hidden, backend)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Prepares incremental decoding of <paramref name="rowsPerSeries"/> decoder rows per encoder row for up to
    /// <paramref name="maxSteps"/> positions: projects the encoder states once per block.
    /// </summary>
    public T5DecoderCache StartDecoding(Tensor encoderHidden, Tensor encoderMask, long rowsPerSeries, long maxSteps,
        IInferenceBackend backend)
    {
        RequireRole(decoder: true);
        var layers = new List<T5LayerCache>(block.Count);
        var rows = encoderHidden.shape[0] * rowsPerSeries;
        foreach (var layer in block)
        {
            var cross = layer.CrossAttention;
            var shape = new long[] { rows, cross.HeadCount, maxSteps, cross.HeadSize };
            layers.Add(new T5LayerCache(
                empty(shape, dtype: encoderHidden.dtype, device: encoderHidden.device).DetachFromDisposeScope(),
                empty(shape, dtype: encoderHidden.dtype, device: encoderHidden.device).DetachFromDisposeScope(),
                cross.ProjectKeys(encoderHidden, backend).DetachFromDisposeScope(),
                cross.ProjectValues(encoderHidden, backend).DetachFromDisposeScope()));
        }
        return new T5DecoderCache(layers, ExtendedMask(encoderMask, encoderHidden.dtype).DetachFromDisposeScope());
    }

    /// <summary>One decoder step: (N, 1, d) embeddings of the newest tokens → (N, 1, d) hidden state.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Tensor Step(Tensor inputsEmbeds, T5DecoderCache cache, IInferenceBackend backend)
    {
        RequireRole(decoder: true);
        using var scope = NewDisposeScope();
        var position = cache.Layers[0].Length;
        // Query at absolute position `position`, keys 0…position (modeling_t5.py: compute_bias with cache_position).
        var bias = block[0].SelfAttention.ComputeBias(1, position + 1, bidirectional: false, queryOffset: position);
        var hidden = dropout.Apply(inputsEmbeds);
        for (var i = 0; i < block.Count; i++)
            hidden = ReplaceHidden(hidden, block[i].Step(hidden, cache.Layers[i], bias, cache.CrossMaskBias, backend), inputsEmbeds);
        return dropout.Apply(final_layer_norm.forward(hidden, backend)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Frees a block's input as soon as its output exists (unless it is the caller's tensor or autograd needs it), so
    /// a stack holds one hidden state at a time instead of one per block until the scope ends.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Tensor ReplaceHidden(Tensor previous, Tensor next, Tensor callerInput)
    {
        if (!ReferenceEquals(previous, callerInput) && !is_grad_enabled())
            previous.Dispose();
        return next;
    }

    private void RequireRole(bool decoder)
    {
        if (decoder != isDecoder)
            throw new InvalidOperationException($"This is the {(isDecoder ? "decoder" : "encoder")} stack.");
    }
}
