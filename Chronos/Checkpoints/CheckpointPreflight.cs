using System.Text.RegularExpressions;

namespace Forecast.Chronos.Checkpoints;

/// <summary>
/// Checks a checkpoint folder before any tensor is created or the native library loads: config.json parses, every
/// safetensors header is valid (a truncated file or an entry whose offsets run past the end of the file is a
/// <see cref="SafetensorsFormatException"/>), and the stored shapes agree with config.json's dimensions. The shape
/// rules follow transformers' T5 modules, which Chronos-T5, Chronos-Bolt and Chronos-2 share: layer norms are
/// [d_model], attention q/k/v are [num_heads·d_kv, d_model] and o its transpose, relative_attention_bias is
/// [relative_attention_num_buckets, num_heads], feed-forward wi/wi_0/wi_1 are [d_ff, d_model] and wo its transpose,
/// embeddings are [vocab_size, d_model]; the stacks hold num_layers (encoder) and num_decoder_layers blocks.
/// </summary>
public static partial class CheckpointPreflight
{
    /// <summary>Throws a <see cref="CheckpointException"/> naming the file and tensor or field at fault.</summary>
    public static ChronosCheckpointConfig Check(string folder)
    {
        var config = ChronosCheckpointConfig.Read(Path.Combine(folder, ChronosCheckpointConfig.FileName));
        using var weights = SafetensorsCheckpoint.Open(folder, config.TieWordEmbeddings);
        int inner = config.NumHeads * config.DKv;
        var encoderBlocks = new HashSet<int>();
        var decoderBlocks = new HashSet<int>();
        foreach (var file in weights.Files)
        {
            foreach (var tensor in file.Header.Tensors)
            {
                var block = Block().Match(tensor.Name);
                if (block.Success)
                    (block.Groups[1].Value == "encoder" ? encoderBlocks : decoderBlocks).Add(int.Parse(block.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
                long[]? expected = ExpectedShape(tensor.Name, config, inner);
                if (expected is not null && !tensor.Shape.SequenceEqual(expected))
                    throw new TensorShapeMismatchException(file.Path, tensor.Name, expected, tensor.Shape);
            }
        }
        CheckBlocks(folder, "encoder", encoderBlocks, config.NumLayers, "num_layers");
        if (decoderBlocks.Count > 0) CheckBlocks(folder, "decoder", decoderBlocks, config.NumDecoderLayers, "num_decoder_layers");
        return config;
    }

    private static long[]? ExpectedShape(string name, ChronosCheckpointConfig c, int inner)
    {
        if (name.EndsWith("layer_norm.weight", StringComparison.Ordinal)) return [c.DModel];
        if (Attention().Match(name) is { Success: true } attention)
            return attention.Groups[1].Value == "o" ? [c.DModel, inner] : [inner, c.DModel];
        if (name.EndsWith(".relative_attention_bias.weight", StringComparison.Ordinal)) return [c.RelativeAttentionNumBuckets, c.NumHeads];
        if (FeedForward().Match(name) is { Success: true } feedForward)
            return feedForward.Groups[1].Value == "wo" ? [c.DModel, c.DFf] : [c.DFf, c.DModel];
        if (name is "shared.weight" or "encoder.embed_tokens.weight" or "decoder.embed_tokens.weight") return [c.VocabSize, c.DModel];
        return null;
    }

    private static void CheckBlocks(string folder, string stack, HashSet<int> blocks, int count, string key)
    {
        if (blocks.Count != count || blocks.Any(b => b >= count))
            throw new CheckpointConfigException(Path.Combine(folder, ChronosCheckpointConfig.FileName),
                $"{key} is {count} but the weights hold {blocks.Count} {stack} block(s) (indices {string.Join(", ", blocks.Order().Take(8))}); " +
                "the config.json does not belong to these weights.");
    }

    [GeneratedRegex(@"^(encoder|decoder)\.block\.(\d{1,6})\.")]
    private static partial Regex Block();

    [GeneratedRegex(@"\.(?:SelfAttention|EncDecAttention|self_attention)\.(q|k|v|o)\.weight$")]
    private static partial Regex Attention();

    [GeneratedRegex(@"\.(?:DenseReluDense|mlp)\.(wi|wi_0|wi_1|wo)\.weight$")]
    private static partial Regex FeedForward();
}
