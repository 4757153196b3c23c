using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Inference;
using Forecast.Chronos.Bolt;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// Chronos-2's network (chronos2/model.py: Chronos2Model), encoder only: scaled (arcsinh) context → NaN-padded
/// patches with time encoding and mask → residual-block embedding, then REG, then one embedding per output patch
/// (time encoding + known future covariates) → encoder of time (RoPE) and group attention → the last output
/// positions through the residual-block quantile head → (B, Q, n·P), de-normalised. Parameter names match the
/// checkpoint.
/// </summary>
public sealed class Chronos2Model : nn.Module
{
    private readonly Embedding shared;
    private readonly ResidualBlock input_patch_embedding;
    private readonly Patch patch;
    private readonly Chronos2Encoder encoder;
    private readonly ResidualBlock output_patch_embedding;
    private readonly ArcsinhInstanceNorm instanceNorm;
    private readonly Tensor quantileLevels;

    public Chronos2Model(Chronos2CoreConfig config, Chronos2ForecastingConfig chronosConfig) : base(nameof(Chronos2Model))
    {
        config.Validate();
        chronosConfig.Validate();
        Config = config;
        ChronosConfig = chronosConfig;
        // model.py: only [PAD] (and [REG]) — vocab_size 2 with the REG token, else 1.
        shared = nn.Embedding(chronosConfig.UseRegToken ? 2 : 1, config.DModel);
        // × 3 for [time encoding, values, mask].
        input_patch_embedding = new ResidualBlock(chronosConfig.InputPatchSize * 3, config.DFf, config.DModel, config.DropoutRate);
        patch = new Patch(chronosConfig.InputPatchSize, chronosConfig.InputPatchStride);
        encoder = new Chronos2Encoder(config);
        output_patch_embedding = new ResidualBlock(
            config.DModel, config.DFf, chronosConfig.Quantiles.Count * chronosConfig.OutputPatchSize, config.DropoutRate);
        RegisterComponents();
        instanceNorm = new ArcsinhInstanceNorm(chronosConfig.UseArcsinh);
        // register_buffer("quantiles", persistent=False): not in the checkpoint.
        quantileLevels = tensor(chronosConfig.Quantiles.ToArray()).DetachFromDisposeScope();
    }

    public Chronos2CoreConfig Config { get; }
    public Chronos2ForecastingConfig ChronosConfig { get; }
    public int QuantileCount => ChronosConfig.Quantiles.Count;
    public int PatchSize => ChronosConfig.OutputPatchSize;
    public ArcsinhInstanceNorm InstanceNorm => instanceNorm;

    /// <summary>dtype of the encoder's linear layers (see <see cref="UseEncoderDType"/>).</summary>
    public ScalarType EncoderDType { get; private set; } = ScalarType.Float32;

    /// <summary>
    /// The opt-in bfloat16 path, as torch.autocast runs it on CPU (and as ChronosBoltModel.UseStackDType): only the
    /// encoder's linear weights change dtype, so the products run on the AVX512-BF16 units while scaling, patch and
    /// quantile embeddings, norms, softmax and the residual stream stay float32.
    /// </summary>
    public void UseEncoderDType(ScalarType dtype)
    {
        foreach (var (_, module) in encoder.named_modules())
            if (module is Linear linear)
                linear.to(dtype);
        EncoderDType = dtype;
        InvalidateComposedWeights();
    }

    /// <summary>Loads checkpoint tensors by name; a missing tensor or a shape mismatch names the tensor.</summary>
    public void LoadWeights(IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        StateDictLoader.Load(this, tensors, source);
        InvalidateComposedWeights();
    }

    /// <summary>
    /// Drops the weights derived from the parameters that inference keeps between calls — the composed
    /// <c>W_o·W_v</c> of each block's group attention (d_model² floats per block, made on the kernel backend's first
    /// calls) — so that the next call derives them again. Changes through libtorch's operators (<c>copy_</c>,
    /// <c>add_</c>, optimizers, <see cref="LoadWeights"/>, LoRA merges, fine-tuning) are noticed by themselves, through
    /// libtorch's version counter; call this after writing parameters through raw memory (<c>Tensor.bytes</c>,
    /// <c>data&lt;T&gt;()</c> accessors) and to free that memory. Not while a call runs.
    /// </summary>
    public void InvalidateComposedWeights() => ComposedWeight.InvalidateAll(this);

    /// <summary>
    /// Before a forecast's activations exist: the composed weights a forecast of series that are each their own group
    /// keeps, with about <paramref name="rowsPerPass"/> rows (series × patches) per pass through the encoder — allocated
    /// here, not among the activations, whose freed buffers the call reuses (docs/chronos2.md).
    /// </summary>
    internal void PrepareOwnGroups(IInferenceBackend backend, long rowsPerPass) => encoder.PrepareOwnGroups(backend, rowsPerPass);

    /// <summary>Training mode also drops the composed weights (training changes the weights, and runs without them).</summary>
    public override void train(bool on = true)
    {
        base.train(on);
        if (on)
            InvalidateComposedWeights();
    }

    /// <summary>
    /// model.py: encode. <paramref name="context"/> (B, T) float with NaN for missing values; <paramref name="groupIds"/>
    /// (B) int64 (default: every series alone); <paramref name="futureCovariates"/> (B, ≤ n·P) with NaN where unknown.
    /// </summary>
    public Chronos2Encoding Encode(Tensor context, Tensor? contextMask = null, Tensor? groupIds = null,
        Tensor? futureCovariates = null, Tensor? futureCovariatesMask = null, int numOutputPatches = 1) =>
        Encode(LibtorchBackend.Instance, context, contextMask, groupIds, futureCovariates, futureCovariatesMask, numOutputPatches);

    /// <param name="outputPatchesOnly">
    /// Encode only the output patches' hidden states past the last block's keys and values (what a forecast reads;
    /// inference only, so that training runs the reference's graph).
    /// </param>
    internal Chronos2Encoding Encode(IInferenceBackend backend, Tensor context, Tensor? contextMask = null, Tensor? groupIds = null,
        Tensor? futureCovariates = null, Tensor? futureCovariatesMask = null, int numOutputPatches = 1, bool outputPatchesOnly = false)
    {
        ValidateInputs(context, contextMask, groupIds, futureCovariates, futureCovariatesMask, numOutputPatches, null, null);
        using var scope = NewDisposeScope();
        var batch = context.shape[0];
        var dtype = shared.weight!.dtype;
        var device = shared.weight!.device;
        Tensor inputEmbeds, attentionMask, futureMask;
        (Tensor Loc, Tensor Scale) locScale;
        long contextPatches;
        // The embeddings' intermediates (patch features, the parts before each cat) go before the encoder runs.
        using (var embeddingScope = NewDisposeScope())
        {
            (var patchedContext, attentionMask, locScale) = PrepareContext(context, contextMask, dtype);
            contextPatches = attentionMask.shape[^1];
            inputEmbeds = input_patch_embedding.forward(patchedContext, backend);
            attentionMask = attentionMask.to_type(dtype);
            if (ChronosConfig.UseRegToken)
            {
                var regIds = full(batch, 1, ChronosConfig.RegTokenId, dtype: ScalarType.Int64, device: device);
                inputEmbeds = cat([inputEmbeds, shared.forward(regIds)], -2);
                attentionMask = cat([attentionMask, ones(batch, 1, dtype: dtype, device: device)], -1);
            }

            (var patchedFuture, futureMask) = PrepareFuture(futureCovariates, futureCovariatesMask, locScale, numOutputPatches, batch, dtype, device);
            var futureEmbeds = input_patch_embedding.forward(patchedFuture, backend);
            inputEmbeds = cat([inputEmbeds, futureEmbeds], -2).MoveToOuterDisposeScope();
            // Output patches are always attended to.
            attentionMask = cat([attentionMask, ones(batch, numOutputPatches, dtype: dtype, device: device)], -1).MoveToOuterDisposeScope();
            futureMask = futureMask.MoveToOuterDisposeScope();
            locScale = (locScale.Loc.MoveToOuterDisposeScope(), locScale.Scale.MoveToOuterDisposeScope());
        }

        groupIds ??= arange(batch, dtype: ScalarType.Int64, device: device);
        var hidden = encoder.forward(inputEmbeds, groupIds.to(device), attentionMask, backend,
            outputPatchesOnly && !is_grad_enabled() ? numOutputPatches : null);
        return new Chronos2Encoding(hidden, locScale.Loc, locScale.Scale, futureMask, contextPatches).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// model.py: forward — de-normalised quantile predictions (B, Q, n·P) float32 and, when
    /// <paramref name="futureTarget"/> (B, ≤ n·P) is given, the training loss.
    /// </summary>
    public (Tensor QuantilePreds, Tensor? Loss) forward(Tensor context, Tensor? contextMask = null, Tensor? groupIds = null,
        Tensor? futureCovariates = null, Tensor? futureCovariatesMask = null, int numOutputPatches = 1,
        Tensor? futureTarget = null, Tensor? futureTargetMask = null) =>
        forward(LibtorchBackend.Instance, context, contextMask, groupIds, futureCovariates, futureCovariatesMask, numOutputPatches,
            futureTarget, futureTargetMask);

    internal (Tensor QuantilePreds, Tensor? Loss) forward(IInferenceBackend backend, Tensor context, Tensor? contextMask = null,
        Tensor? groupIds = null, Tensor? futureCovariates = null, Tensor? futureCovariatesMask = null, int numOutputPatches = 1,
        Tensor? futureTarget = null, Tensor? futureTargetMask = null)
    {
        ValidateInputs(context, contextMask, groupIds, futureCovariates, futureCovariatesMask, numOutputPatches, futureTarget, futureTargetMask);
        using var scope = NewDisposeScope();
        var batch = context.shape[0];
        var encoding = Encode(backend, context, contextMask, groupIds, futureCovariates, futureCovariatesMask, numOutputPatches,
            outputPatchesOnly: true);
        var forecastEmbeds = encoding.Hidden[.., TensorIndex.Slice(-numOutputPatches)];
        var horizon = numOutputPatches * PatchSize;
        // "b n (q p) -> b q (n p)"
        var normalised = output_patch_embedding.forward(forecastEmbeds, backend)
            .view(batch, numOutputPatches, QuantileCount, PatchSize)
            .permute(0, 2, 1, 3)
            .reshape(batch, QuantileCount, horizon)
            .to_type(ScalarType.Float32);
        var loss = futureTarget is null
            ? null
            : Loss(normalised, futureTarget, futureTargetMask, encoding.FutureCovariatesMask, (encoding.Loc, encoding.Scale));
        var preds = instanceNorm.Inverse(normalised.reshape(batch, -1), (encoding.Loc, encoding.Scale))
            .view(batch, QuantileCount, horizon);
        return (preds.MoveToOuterDisposeScope(), loss?.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// model.py: _compute_loss — pinball loss <c>2·|(t − q)·(1[t ≤ q] − level)|</c> in normalised space, masked by
    /// missing targets and by known future covariates, then mean over the horizon, sum over quantiles, mean over
    /// the batch (a different order from Bolt's).
    /// </summary>
    private Tensor Loss(Tensor preds, Tensor futureTarget, Tensor? futureTargetMask, Tensor futureCovariatesMask,
        (Tensor Loc, Tensor Scale) locScale)
    {
        var (target, _) = instanceNorm.Forward(futureTarget, locScale);
        target = target.unsqueeze(1);
        var mask = futureTargetMask is null ? target.isnan().logical_not() : futureTargetMask.unsqueeze(1);
        mask = mask.to_type(ScalarType.Float32);
        target = where(mask.gt(0.0), target, zeros_like(target));
        var horizon = preds.shape[^1];
        if (horizon > target.shape[^1])
        {
            var missing = horizon - target.shape[^1];
            target = cat([target, zeros(target.shape[0], 1, missing, dtype: target.dtype, device: target.device)], -1);
            mask = cat([mask, zeros(mask.shape[0], 1, missing, dtype: mask.dtype, device: mask.device)], -1);
        }
        var levels = quantileLevels.to(preds.device).view(1, QuantileCount, 1);
        var below = target.le(preds).to_type(ScalarType.Float32);
        var pinball = 2 * ((target - preds) * (below - levels)).abs();
        var knownFuture = futureCovariatesMask.to_type(ScalarType.Float32).reshape(preds.shape[0], 1, horizon);
        var lossMask = mask * (1 - knownFuture);
        return (pinball * lossMask).mean([-1L]).sum([-1L]).mean();
    }

    /// <summary>
    /// model.py: _prepare_patched_context — (B, N, 3P) features [time encoding, values, mask], the (B, N) patch
    /// attention mask (a patch counts when any of its values is observed) and loc/scale.
    /// </summary>
    private (Tensor Features, Tensor AttentionMask, (Tensor Loc, Tensor Scale) LocScale) PrepareContext(
        Tensor context, Tensor? contextMask, ScalarType dtype)
    {
        var mask = contextMask is null ? context.isnan().logical_not().to_type(context.dtype) : contextMask.to_type(context.dtype);
        var limit = ChronosConfig.ContextLength;
        if (context.shape[^1] > limit)
        {
            context = context[TensorIndex.Ellipsis, TensorIndex.Slice(-limit)];
            mask = mask[TensorIndex.Ellipsis, TensorIndex.Slice(-limit)];
        }
        // Scaling in float32, then the model's dtype.
        var (normalised, locScale) = instanceNorm.Forward(context);
        var values = patch.forward(normalised.to_type(dtype));
        var patchedMask = patch.forward(mask.to_type(dtype)).nan_to_num(0.0);
        values = where(patchedMask.gt(0.0), values, zeros_like(values));
        var attentionMask = patchedMask.sum([-1L]).gt(0);
        var (batch, patches, size) = (values.shape[0], values.shape[1], (long)ChronosConfig.InputPatchSize);
        // Time index of every observation, [−N·P, …, −1] / time_encoding_scale.
        var timeEncoding = arange(-patches * size, 0, dtype: ScalarType.Float32, device: values.device)
            .div(ChronosConfig.EffectiveTimeEncodingScale)
            .view(1, patches, size).expand(batch, patches, size).to_type(dtype);
        return (cat([timeEncoding, values, patchedMask], -1), attentionMask, locScale);
    }

    /// <summary>
    /// model.py: _prepare_patched_future — (B, n, 3P) features of the output patches, [time encoding 0…n·P−1 /
    /// scale, normalised known covariates (0 where unknown), known mask], and the (B, n, P) known mask.
    /// </summary>
    private (Tensor Features, Tensor KnownMask) PrepareFuture(Tensor? futureCovariates, Tensor? futureCovariatesMask,
        (Tensor Loc, Tensor Scale) locScale, int numOutputPatches, long batch, ScalarType dtype, Device device)
    {
        var size = PatchSize;
        var length = numOutputPatches * size;
        Tensor values, known;
        if (futureCovariates is not null)
        {
            var normalised = instanceNorm.Forward(futureCovariates, locScale).Normalised.to_type(dtype);
            known = futureCovariatesMask is null
                ? normalised.isnan().logical_not().to_type(dtype)
                : futureCovariatesMask.to_type(dtype);
            normalised = where(known.gt(0.0), normalised, zeros_like(normalised));
            if (normalised.isnan().any().item<bool>())
                throw new ArgumentException(
                    "future_covariates has NaN values where future_covariates_mask says they are known; give the correct mask "
                    + "or omit it to infer it from the NaNs.", nameof(futureCovariates));
            if (length > normalised.shape[^1])
            {
                var padding = length - normalised.shape[^1];
                normalised = cat([normalised, zeros(batch, padding, dtype: dtype, device: device)], -1);
                known = cat([known, zeros(batch, padding, dtype: dtype, device: device)], -1);
            }
            values = normalised.view(batch, numOutputPatches, size);
            known = known.view(batch, numOutputPatches, size);
        }
        else
        {
            values = zeros(batch, numOutputPatches, size, dtype: dtype, device: device);
            known = zeros(batch, numOutputPatches, size, dtype: dtype, device: device);
        }
        var timeEncoding = arange(0, length, dtype: ScalarType.Float32, device: device)
            .div(ChronosConfig.EffectiveTimeEncodingScale)
            .view(1, numOutputPatches, size).expand(batch, numOutputPatches, size).to_type(dtype);
        return (cat([timeEncoding, values, known], -1), known);
    }

    /// <summary>model.py: _validate_input, with messages that name the tensor and the expected shape.</summary>
    private void ValidateInputs(Tensor context, Tensor? contextMask, Tensor? groupIds, Tensor? futureCovariates,
        Tensor? futureCovariatesMask, int numOutputPatches, Tensor? futureTarget, Tensor? futureTargetMask)
    {
        static string Shape(Tensor t) => $"[{string.Join(", ", t.shape)}]";
        if (numOutputPatches < 1)
            throw new ArgumentOutOfRangeException(nameof(numOutputPatches), numOutputPatches, "At least one output patch is needed.");
        if (context.dim() != 2)
            throw new ArgumentException($"context must have shape (batch, time), found {Shape(context)}.", nameof(context));
        var batch = context.shape[0];
        var capacity = numOutputPatches * PatchSize;
        if (contextMask is not null && !contextMask.shape.SequenceEqual(context.shape))
            throw new ArgumentException($"context_mask must have the context's shape {Shape(context)}, found {Shape(contextMask)}.", nameof(contextMask));
        if (futureCovariates is not null)
        {
            if (futureCovariates.dim() != 2 || futureCovariates.shape[0] != batch)
                throw new ArgumentException(
                    $"future_covariates must have shape (batch={batch}, future length), found {Shape(futureCovariates)}.", nameof(futureCovariates));
            if (futureCovariates.shape[1] > capacity)
                throw new ArgumentException(
                    $"future_covariates has {futureCovariates.shape[1]} steps but {numOutputPatches} output patches cover {capacity}; "
                    + "raise numOutputPatches.", nameof(futureCovariates));
            if (futureTarget is not null && !futureTarget.shape.SequenceEqual(futureCovariates.shape))
                throw new ArgumentException(
                    $"future_target {Shape(futureTarget)} must have the shape of future_covariates {Shape(futureCovariates)}.", nameof(futureTarget));
        }
        if (futureCovariatesMask is not null
            && (futureCovariates is null || !futureCovariatesMask.shape.SequenceEqual(futureCovariates.shape)))
            throw new ArgumentException("future_covariates_mask needs future_covariates of the same shape.", nameof(futureCovariatesMask));
        if (groupIds is not null && (groupIds.dim() != 1 || groupIds.shape[0] != batch))
            throw new ArgumentException($"group_ids must have shape ({batch}), found {Shape(groupIds)}.", nameof(groupIds));
        if (futureTarget is not null)
        {
            if (futureTarget.dim() != 2 || futureTarget.shape[0] != batch)
                throw new ArgumentException(
                    $"future_target must have shape (batch={batch}, future length), found {Shape(futureTarget)}.", nameof(futureTarget));
            if (futureTarget.shape[1] > capacity)
                throw new ArgumentException(
                    $"future_target has {futureTarget.shape[1]} steps but {numOutputPatches} output patches cover {capacity}; "
                    + "raise numOutputPatches.", nameof(futureTarget));
        }
        if (futureTargetMask is not null && (futureTarget is null || !futureTargetMask.shape.SequenceEqual(futureTarget.shape)))
            throw new ArgumentException("future_target_mask needs future_target of the same shape.", nameof(futureTargetMask));
    }
}
