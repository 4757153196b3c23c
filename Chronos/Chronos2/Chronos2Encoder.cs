using Forecast.Chronos.FineTuning;
using Forecast.Chronos.Inference;
using Forecast.Chronos.T5;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// The Chronos-2 encoder stack (chronos2/model.py: Chronos2Encoder): dropout, blocks of time/group attention and
/// feed-forward, final RMS norm, dropout. Builds the additive masks once for all blocks, with
/// <c>finfo(dtype).min</c> as the reference does (not −∞, so a fully masked row softmaxes to uniform, not NaN).
/// </summary>
internal sealed class Chronos2Encoder : nn.Module
{
    private readonly ModuleList<Chronos2EncoderBlock> block;
    private readonly T5LayerNorm final_layer_norm;
    private readonly Dropout dropout;
    private readonly RotaryEmbedding rope;

    public Chronos2Encoder(Chronos2CoreConfig config) : base(nameof(Chronos2Encoder))
    {
        block = new ModuleList<Chronos2EncoderBlock>(
            Enumerable.Range(0, config.NumLayers).Select(_ => new Chronos2EncoderBlock(config)).ToArray());
        final_layer_norm = new T5LayerNorm(config.DModel, config.LayerNormEpsilon);
        dropout = nn.Dropout(config.DropoutRate);
        rope = new RotaryEmbedding(config.DKv, config.RopeTheta);
        RegisterComponents();
    }

    /// <summary>
    /// Ahead of a forecast whose series are each their own group, with <paramref name="rows"/> (B·S) rows per pass:
    /// the weights the blocks keep between calls (the last block sees only the output patches, too few to compose for).
    /// </summary>
    public void PrepareOwnGroups(IInferenceBackend backend, long rows)
    {
        for (var index = 0; index < block.Count - 1; index++)
            block[index].PrepareOwnGroups(backend, rows);
    }

    /// <param name="inputsEmbeds">(B, S, d).</param>
    /// <param name="groupIds">(B) int64: series with the same id attend to each other in the group attention.</param>
    /// <param name="attentionMask">(B, S) 1 where a position may be attended to.</param>
    /// <param name="outputPositions">
    /// When set, only the last this many positions are returned, (B, outputPositions, d), and the last block computes
    /// only those past its keys and values: nothing after the last block mixes positions, so they are exactly the
    /// full output's last positions (a forecast reads only its output patches).
    /// </param>
    public Tensor forward(Tensor inputsEmbeds, Tensor groupIds, Tensor attentionMask, IInferenceBackend backend, long? outputPositions = null)
    {
        using var scope = NewDisposeScope();
        var dtype = inputsEmbeds.dtype;
        var sequenceLength = inputsEmbeds.shape[1];
        var minimum = MinimumOf(dtype);
        attentionMask = attentionMask.to_type(dtype);
        // _expand_and_invert_time_attention_mask: (B, 1, 1, S), (1 − m)·min.
        var timeMask = (1.0 - attentionMask[.., TensorIndex.None, TensorIndex.None, ..]) * minimum;
        var groupTimeMask = AllDistinct(groupIds) ? null : GroupTimeMask(groupIds, attentionMask, minimum);
        var tables = rope.Tables(sequenceLength, dtype, inputsEmbeds.device);

        var hidden = dropout.Apply(inputsEmbeds);
        for (var index = 0; index < block.Count; index++)
        {
            var next = block[index].forward(hidden, timeMask, groupTimeMask, tables, backend,
                index == block.Count - 1 ? outputPositions : null);
            // A block's output is a fresh tensor that only the next block reads: without autograd it goes as soon as that
            // block is done, instead of at the end of the stack (12 live activations fragment the heap that inference
            // reuses freed buffers from).
            if (index > 0 && !is_grad_enabled())
                hidden.Dispose();
            hidden = next;
        }
        hidden = final_layer_norm.forward(hidden, backend);
        return dropout.Apply(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// _construct_and_invert_group_time_mask: <c>[t, 1, q, b] = (1 − [group q = group b]·mask[b, t])·min</c>.
    /// </summary>
    private static Tensor GroupTimeMask(Tensor groupIds, Tensor attentionMask, double minimum)
    {
        var sameGroup = groupIds[.., TensorIndex.None].eq(groupIds[TensorIndex.None, ..]).to_type(attentionMask.dtype); // (q, b)
        var allowed = sameGroup[.., .., TensorIndex.None] * attentionMask[TensorIndex.None, .., ..];               // (q, b, t)
        return (1.0 - allowed.permute(2, 0, 1).unsqueeze(1)) * minimum;                                                // (t, 1, q, b)
    }

    private static bool AllDistinct(Tensor groupIds)
    {
        var count = groupIds.shape[0];
        if (count == 1)
            return true;
        using var unique = groupIds.unique().output;
        return unique.shape[0] == count;
    }

    private static double MinimumOf(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => float.MinValue,
        ScalarType.Float64 => double.MinValue,
        ScalarType.BFloat16 => -3.3895313892515355e38,
        ScalarType.Float16 => -65504.0,
        _ => throw new ArgumentException($"Chronos-2 runs in a floating-point dtype, not {dtype}."),
    };
}
