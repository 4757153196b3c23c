using System.Runtime.CompilerServices;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Inference;
using Forecast.Chronos.T5;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.Bolt;

/// <summary>
/// Chronos-Bolt's network (chronos_bolt.py: ChronosBoltModelForForecasting): InstanceNorm → NaN-padded patches →
/// residual-block patch embedding (values and mask) → optional REG token → T5 encoder → a single decoder step →
/// residual-block quantile head (Q × H), de-normalised. Parameter names match the checkpoint.
/// </summary>
public sealed class ChronosBoltModel : nn.Module
{
    /// <summary>Tied or head copies HF may write; not parameters of this model (_keys_to_ignore_on_load_unexpected).</summary>
    public static readonly IReadOnlyCollection<string> IgnorableTensors =
        ["encoder.embed_tokens.weight", "decoder.embed_tokens.weight", "lm_head.weight"];

    private readonly Embedding shared;
    private readonly ResidualBlock input_patch_embedding;
    private readonly Patch patch;
    private readonly InstanceNorm instance_norm;
    private readonly T5Stack encoder;
    private readonly T5Stack decoder;
    private readonly ResidualBlock output_patch_embedding;
    private readonly Tensor quantileLevels;

    public ChronosBoltModel(T5Config config, ChronosBoltConfig chronosConfig) : base(nameof(ChronosBoltModel))
    {
        chronosConfig.Validate();
        // chronos_bolt.py: vocab_size = 2 with the REG token (id 1), else 1 (only decoder_start, id 0).
        config = config with { VocabSize = chronosConfig.UseRegToken ? 2 : 1 };
        config.Validate();
        Config = config;
        ChronosConfig = chronosConfig;
        shared = nn.Embedding(config.VocabSize, config.DModel);
        input_patch_embedding = new ResidualBlock(chronosConfig.InputPatchSize * 2, config.DFf, config.DModel, config.DropoutRate);
        patch = new Patch(chronosConfig.InputPatchSize, chronosConfig.InputPatchStride);
        instance_norm = new InstanceNorm();
        encoder = new T5Stack(config, isDecoder: false);
        decoder = new T5Stack(config, isDecoder: true);
        output_patch_embedding = new ResidualBlock(
            config.DModel, config.DFf, chronosConfig.Quantiles.Count * chronosConfig.PredictionLength, config.DropoutRate);
        RegisterComponents();
        // Not a parameter and not persistent (register_buffer(..., persistent=False) in the reference).
        quantileLevels = tensor(chronosConfig.Quantiles.ToArray()).DetachFromDisposeScope();
    }

    public T5Config Config { get; }

    /// <summary>dtype of the linear layers of the encoder and decoder stacks (see <see cref="UseStackDType"/>).</summary>
    public ScalarType StackDType { get; private set; } = ScalarType.Float32;

    /// <summary>
    /// The opt-in reduced-precision path, as torch.autocast on CPU: the weights of the linear layers of the T5
    /// stacks (≈ 99% of the FLOPs) become <paramref name="dtype"/> and their products run there (bfloat16 uses the
    /// AVX512-BF16 matrix units), while activations, RMS norms, attention softmax and the residual stream stay float32
    /// (MixedPrecision), and so do InstanceNorm, the patch embedding and the quantile head, where bfloat16's 8-bit
    /// mantissa would show directly in the forecasts.
    /// </summary>
    public void UseStackDType(ScalarType dtype)
    {
        foreach (var stack in new[] { encoder, decoder })
            foreach (var (_, module) in stack.named_modules())
                if (module is Linear linear)
                    linear.to(dtype);
        StackDType = dtype;
    }
    public ChronosBoltConfig ChronosConfig { get; }
    public int QuantileCount => ChronosConfig.Quantiles.Count;

    /// <summary>Loads checkpoint tensors by name (tied copies and lm_head tolerated); errors name the tensor.</summary>
    public void LoadWeights(IReadOnlyDictionary<string, Tensor> tensors, string source) =>
        StateDictLoader.Load(this, tensors, source, IgnorableTensors);

    /// <summary>
    /// chronos_bolt.py: encode — context (B, T) float32 with NaN for missing values, optional 0/1 mask.
    /// </summary>
    public BoltEncoding Encode(Tensor context, Tensor? mask = null) => Encode(context, mask, LibtorchBackend.Instance);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal BoltEncoding Encode(Tensor context, Tensor? mask, IInferenceBackend backend)
    {
        using var scope = NewDisposeScope();
        mask = mask is null ? context.isnan().logical_not().to_type(context.dtype) : mask.to_type(context.dtype);
        var batch = context.shape[0];
        if (context.shape[^1] > ChronosConfig.ContextLength)
        {
            var last = TensorIndex.Slice(-ChronosConfig.ContextLength);
            context = context[TensorIndex.Ellipsis, last];
            mask = mask[TensorIndex.Ellipsis, last];
        }

        // Scaling in float32, then the embedding's dtype (float32 also on the bfloat16 path, see UseStackDType).
        var (normalised, (loc, scale)) = instance_norm.forward(context);
        var dtype = shared.weight!.dtype;
        normalised = normalised.to_type(dtype);
        mask = mask.to_type(dtype);

        var patchedContext = patch.forward(normalised);
        var patchedMask = patch.forward(mask).nan_to_num(0.0);
        patchedContext = where(patchedMask.gt(0.0), patchedContext, zeros_like(patchedContext));
        var features = cat([patchedContext, patchedMask], -1);
        // A patch is attended to when at least one of its points is observed.
        var attentionMask = patchedMask.sum([-1L]).gt(0).to_type(dtype);
        var inputEmbeds = input_patch_embedding.forward(features, backend);

        if (ChronosConfig.UseRegToken)
        {
            var regIds = full(batch, 1, ChronosConfig.RegTokenId, dtype: ScalarType.Int64, device: context.device);
            inputEmbeds = cat([inputEmbeds, shared.forward(regIds)], -2);
            attentionMask = cat([attentionMask, ones(batch, 1, dtype: dtype, device: context.device)], -1);
        }

        var hidden = encoder.Encode(inputEmbeds, attentionMask, backend);
        return new BoltEncoding(hidden, loc, scale, inputEmbeds, attentionMask).MoveToOuterDisposeScope();
    }

    /// <summary>chronos_bolt.py: decode — one decoder pass from decoder_start (id 0) → (B, 1, d).</summary>
    public Tensor Decode(Tensor inputEmbeds, Tensor attentionMask, Tensor encoderHidden) =>
        Decode(inputEmbeds, attentionMask, encoderHidden, LibtorchBackend.Instance);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal Tensor Decode(Tensor inputEmbeds, Tensor attentionMask, Tensor encoderHidden, IInferenceBackend backend)
    {
        using var scope = NewDisposeScope();
        var batch = inputEmbeds.shape[0];
        var start = full(batch, 1, Config.StartTokenId, dtype: ScalarType.Int64, device: inputEmbeds.device);
        return decoder.Decode(shared.forward(start), encoderHidden, attentionMask, backend).MoveToOuterDisposeScope();
    }

    /// <summary>Quantile head in normalised space: (B, 1, d) → (B, Q, H), quantile-major.</summary>
    public Tensor QuantileHead(Tensor decoderHidden) => QuantileHead(decoderHidden, LibtorchBackend.Instance);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal Tensor QuantileHead(Tensor decoderHidden, IInferenceBackend backend)
    {
        using var input = decoderHidden.to_type(shared.weight!.dtype);
        using var projected = output_patch_embedding.forward(input, backend);
        return projected.view(decoderHidden.shape[0], QuantileCount, ChronosConfig.PredictionLength);
    }

    /// <summary>
    /// chronos_bolt.py: forward — de-normalised quantile predictions (B, Q, H) float32 and, when a target (B, ≤H) is
    /// given, the quantile loss.
    /// </summary>
    public (Tensor QuantilePreds, Tensor? Loss) forward(Tensor context, Tensor? mask = null, Tensor? target = null, Tensor? targetMask = null) =>
        forward(context, mask, target, targetMask, LibtorchBackend.Instance);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal (Tensor QuantilePreds, Tensor? Loss) forward(Tensor context, Tensor? mask, Tensor? target, Tensor? targetMask,
        IInferenceBackend backend)
    {
        using var scope = NewDisposeScope();
        var encoding = Encode(context, mask, backend);
        var decoded = Decode(encoding.InputEmbeds, encoding.AttentionMask, encoding.EncoderHidden, backend);
        var normalisedPreds = QuantileHead(decoded, backend).to_type(ScalarType.Float32);
        var loss = target is null ? null : QuantileLoss(normalisedPreds, target, targetMask, encoding.Loc, encoding.Scale);
        var batch = context.shape[0];
        var preds = InstanceNorm.Inverse(normalisedPreds.view(batch, -1), (encoding.Loc, encoding.Scale))
            .view(batch, QuantileCount, ChronosConfig.PredictionLength);
        return (preds.MoveToOuterDisposeScope(), loss?.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// chronos_bolt.py: forward(target=…) — target normalised with the context's loc/scale, missing values masked,
    /// right-padded to H; <c>2·|(t − q)·(1[t ≤ q] − level)|·mask</c>, then mean over quantiles (dim −2), sum over the
    /// horizon, mean over the batch (the reference's reduction order, despite its comments).
    /// </summary>
    private Tensor QuantileLoss(Tensor preds, Tensor target, Tensor? targetMask, Tensor loc, Tensor scale)
    {
        var horizon = ChronosConfig.PredictionLength;
        if (target.shape[^1] > horizon)
            throw new ArgumentException(
                $"target has {target.shape[^1]} steps but the model predicts {horizon} (chronos_config.prediction_length).");
        var (normalisedTarget, _) = instance_norm.forward(target.to_type(ScalarType.Float32), (loc, scale));
        var t = normalisedTarget.unsqueeze(1);
        var m = targetMask is null ? t.isnan().logical_not() : targetMask.unsqueeze(1).to_type(ScalarType.Bool);
        t = t.masked_fill(m.logical_not(), 0.0);
        if (t.shape[^1] < horizon)
        {
            var missing = horizon - t.shape[^1];
            t = cat([t, zeros(t.shape[0], 1, missing, dtype: t.dtype, device: t.device)], -1);
            m = cat([m, zeros(m.shape[0], 1, missing, dtype: ScalarType.Bool, device: m.device)], -1);
        }
        var levels = quantileLevels.to(preds.device).view(1, QuantileCount, 1);
        var below = t.le(preds).to_type(ScalarType.Float32);
        var loss = 2 * ((t - preds) * (below - levels)).abs() * m.to_type(ScalarType.Float32);
        return loss.mean([-2L]).sum([-1L]).mean();
    }
}
