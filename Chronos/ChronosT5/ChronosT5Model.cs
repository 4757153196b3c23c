using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Inference;
using Forecast.Chronos.T5;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.ChronosT5;

/// <summary>
/// The encoder-decoder network of Chronos-T5, i.e. HF <c>T5ForConditionalGeneration</c> as chronos.py's
/// ChronosModel wraps it (modeling_t5.py): <c>shared</c> embedding (no √d scaling), encoder, decoder, and either the
/// tied output (<c>dec · d_model^-0.5 @ sharedᵀ</c>) or an untied <c>lm_head</c> without scaling.
/// </summary>
public sealed class ChronosT5Model : nn.Module
{
    /// <summary>Names HF may write for the tied embedding copies; they are not separate parameters here.</summary>
    public static readonly IReadOnlyCollection<string> TiedCopies =
        ["encoder.embed_tokens.weight", "decoder.embed_tokens.weight", "lm_head.weight"];

    private readonly Embedding shared;
    private readonly T5Stack encoder;
    private readonly T5Stack decoder;
    private readonly Linear? lm_head;

    public ChronosT5Model(T5Config config) : base(nameof(ChronosT5Model))
    {
        config.Validate();
        Config = config;
        shared = nn.Embedding(config.VocabSize, config.DModel);
        encoder = new T5Stack(config, isDecoder: false);
        decoder = new T5Stack(config, isDecoder: true);
        if (!config.TieWordEmbeddings)
            lm_head = nn.Linear(config.DModel, config.VocabSize, hasBias: false);
        RegisterComponents();
    }

    public T5Config Config { get; }

    /// <summary>dtype of the weights (float32, or bfloat16/float16 when the model was converted).</summary>
    public ScalarType WeightDType => shared.weight!.dtype;

    internal T5Stack Decoder => decoder;

    /// <summary>Names in a checkpoint that are not parameters of this model (tied copies; lm_head only when tied).</summary>
    public IReadOnlyCollection<string> IgnorableTensors =>
        lm_head is null ? TiedCopies : TiedCopies.Where(n => n != "lm_head.weight").ToArray();

    /// <summary>Loads checkpoint tensors by name (tied copies tolerated); errors name the tensor.</summary>
    public void LoadWeights(IReadOnlyDictionary<string, Tensor> tensors, string source) =>
        StateDictLoader.Load(this, tensors, source, IgnorableTensors);

    /// <summary>Token embeddings (B, L, d) of int64 ids.</summary>
    public Tensor Embed(Tensor ids) => shared.forward(ids);

    /// <summary>Encoder last hidden state (B, L, d) — what ChronosPipeline.embed returns.</summary>
    public Tensor Encode(Tensor inputIds, Tensor attentionMask) => Encode(inputIds, attentionMask, LibtorchBackend.Instance);

    internal Tensor Encode(Tensor inputIds, Tensor attentionMask, IInferenceBackend backend)
    {
        using var embeds = Embed(inputIds);
        return encoder.Encode(embeds, attentionMask, backend);
    }

    /// <summary>Vocabulary logits from decoder hidden states (modeling_t5.py: T5ForConditionalGeneration.forward).</summary>
    public Tensor Logits(Tensor decoderHidden) => Logits(decoderHidden, LibtorchBackend.Instance);

    internal Tensor Logits(Tensor decoderHidden, IInferenceBackend backend)
    {
        if (lm_head is not null)
            return backend.Linear(lm_head, decoderHidden);
        using var scaled = decoderHidden * Math.Pow(Config.DModel, -0.5);
        return backend.Product(scaled, shared.weight!);
    }

    /// <summary>Teacher-forced logits (B, Ld, V) for decoder input ids (B, Ld).</summary>
    public Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor decoderInputIds)
    {
        using var scope = NewDisposeScope();
        var backend = LibtorchBackend.Instance;
        var encoded = Encode(inputIds, attentionMask, backend);
        var decoded = decoder.Decode(Embed(decoderInputIds), encoded, attentionMask, backend);
        return Logits(decoded, backend).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// HF's <c>_shift_right</c>: decoder inputs are <c>[decoder_start] + labels[:-1]</c> with −100 replaced by pad.
    /// </summary>
    public Tensor ShiftRight(Tensor labels)
    {
        using var scope = NewDisposeScope();
        var start = full(labels.shape[0], 1, Config.StartTokenId, dtype: ScalarType.Int64, device: labels.device);
        var shifted = cat([start, labels[TensorIndex.Colon, TensorIndex.Slice(0, -1)]], 1);
        return shifted.masked_fill(shifted.eq(-100), Config.PadTokenId).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Training loss as T5ForConditionalGeneration computes it from labels: cross-entropy over every label position,
    /// ignoring −100, averaged over the rest. Returns (loss, logits).
    /// </summary>
    public (Tensor Loss, Tensor Logits) Loss(Tensor inputIds, Tensor attentionMask, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var logits = forward(inputIds, attentionMask, ShiftRight(labels));
        var loss = nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[^1]), labels.reshape(-1), ignore_index: -100);
        return (loss.MoveToOuterDisposeScope(), logits.MoveToOuterDisposeScope());
    }
}
