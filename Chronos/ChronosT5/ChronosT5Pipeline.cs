using System.Diagnostics;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Common;
using Forecast.Chronos.Frames;
using Forecast.Chronos.Inference;
using Forecast.Chronos.Kernels;
using Forecast.Chronos.T5;
using static TorchSharp.torch;

namespace Forecast.Chronos.ChronosT5;

/// <summary>
/// Chronos-T5 forecasting (chronos.py: ChronosPipeline): mean-scale tokenisation, sampled autoregressive decoding of
/// all samples of all series in one batch with a key/value cache, and de-tokenisation. <see cref="Predict(Tensor,int?,SamplingSettings?,bool)"/>
/// gives sample paths (B, S, H), <see cref="PredictQuantiles"/> quantiles and mean, <see cref="Embed"/> encoder states.
/// Each call is one batch; adapters batch many series themselves (<see cref="ContextBatch"/>).
/// </summary>
public sealed class ChronosT5Pipeline : IChronosPipeline
{
    // Pages for the packed decoder weights of few-row generation, kept between calls (see PanelArena).
    private readonly PanelArena panelArena = new();

    /// <summary>Wraps a loaded model (switched to inference mode) and its chronos_config.</summary>
    public ChronosT5Pipeline(ChronosT5Model model, ChronosConfig config)
    {
        config.Validate();
        if (model.Config.VocabSize < config.NTokens)
            throw new ArgumentException(
                $"config.json: vocab_size {model.Config.VocabSize} is smaller than chronos_config.n_tokens {config.NTokens}.");
        Model = model;
        Config = config;
        Tokenizer = new MeanScaleUniformBins(config);
        Model.eval();
    }

    public ChronosT5Model Model { get; }
    public ChronosConfig Config { get; }
    public MeanScaleUniformBins Tokenizer { get; }

    public ChronosModelFamily Family => ChronosModelFamily.ChronosT5;

    public int ContextLength => Config.ContextLength;

    public int PredictionLength => Config.PredictionLength;

    /// <summary>None: Chronos-T5 samples paths, and its quantiles are taken over the samples.</summary>
    public IReadOnlyList<float> Quantiles => [];

    /// <summary>
    /// The sampling of calls that do not pass their own (the <see cref="IChronosPipeline"/> methods); null fields take
    /// the checkpoint's chronos_config.
    /// </summary>
    public SamplingSettings Sampling { get; set; } = new();

    /// <summary>Backend and process-wide tunings of inference calls (<see cref="ChronosInferenceOptions"/>).</summary>
    public ChronosInferenceOptions Inference { get; set; } = new();

    /// <summary>Receives the reference's warnings (horizons beyond prediction_length).</summary>
    public Action<string> Warn { get; set; } = message => Trace.TraceWarning(message);

    /// <summary>Sample paths (B, S, H) for left-padded series.</summary>
    public Tensor Predict(IReadOnlyList<float[]> series, int? predictionLength = null, SamplingSettings? sampling = null,
        bool limitPredictionLength = false)
    {
        using var context = ContextBatch.LeftPadAndStack(series);
        return Predict(context, predictionLength, sampling, limitPredictionLength);
    }

    /// <summary>
    /// chronos.py: ChronosPipeline.predict → samples (B, S, H) float32. Beyond prediction_length the forecast is
    /// extended in blocks: each block re-tokenises the context (new scale) extended by the previous block's
    /// per-step median (torch.median: the lower middle value).
    /// </summary>
    public Tensor Predict(Tensor context, int? predictionLength = null, SamplingSettings? sampling = null,
        bool limitPredictionLength = false)
    {
        ContextBatch.Validate(context);
        var horizon = predictionLength ?? Config.PredictionLength;
        CheckPredictionLength(horizon, limitPredictionLength);
        sampling ??= Sampling;
        var numSamples = sampling.NumSamples ?? Config.NumSamples;
        if (numSamples < 1)
            throw new ArgumentOutOfRangeException(nameof(sampling), numSamples, "num_samples must be at least 1.");
        var sampler = new TokenSampler(Config.EosTokenId, sampling.Temperature ?? Config.Temperature,
            sampling.TopK ?? Config.TopK, sampling.TopP ?? Config.TopP);
        using var generator = sampling.Seed is { } seed ? new Generator((ulong)seed) : null;

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        context = context.to_type(ScalarType.Float32);
        var predictions = new List<Tensor>();
        var remaining = horizon;
        while (remaining > 0)
        {
            var (ids, mask, scale) = Tokenizer.ContextInputTransform(context);
            var steps = Math.Min(remaining, Config.PredictionLength);
            var tokens = GenerateTokens(ids, mask, steps, numSamples, sampler, generator);
            var prediction = Tokenizer.OutputTransform(tokens, scale);
            predictions.Add(prediction);
            remaining -= steps;
            if (remaining > 0)
                context = cat([context, QuantileMath.LowerMedian(prediction, 1)], -1);
        }
        return cat(predictions, -1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// chronos.py: predict_quantiles → (quantiles (B, H, len(levels)) by torch.quantile over the samples, mean (B, H)).
    /// </summary>
    public (Tensor Quantiles, Tensor Mean) PredictQuantiles(Tensor context, int? predictionLength = null,
        IReadOnlyList<float>? quantileLevels = null, SamplingSettings? sampling = null, bool limitPredictionLength = false)
    {
        quantileLevels ??= [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f];
        using var scope = NewDisposeScope();
        var samples = Predict(context, predictionLength, sampling, limitPredictionLength);
        var quantiles = QuantileMath.Quantile(samples.swapaxes(1, 2), quantileLevels, -1).permute(1, 2, 0).contiguous();
        var mean = samples.mean([1L]);
        return (quantiles.MoveToOuterDisposeScope(), mean.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Quantile forecasts of many series as arrays, <paramref name="batchSize"/> series per generation batch (each
    /// with num_samples decoder rows), with progress (series done) and cancellation between batches.
    /// </summary>
    public IReadOnlyList<QuantileForecast> ForecastSeries(IReadOnlyList<float[]> series, int predictionLength,
        IReadOnlyList<float> quantileLevels, SamplingSettings? sampling = null, int batchSize = 16,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default) =>
        SeriesBatches.Forecast(series, batchSize, quantileLevels,
            batch => PredictQuantiles(ContextBatch.LeftPadAndStack(batch), predictionLength, quantileLevels, sampling),
            progress, cancellationToken);

    /// <summary>chronos.py: embed → (encoder states (B, T'+1, d) including the EOS position, scale (B)).</summary>
    public (Tensor Embeddings, Tensor Scale) Embed(Tensor context)
    {
        ContextBatch.Validate(context);
        using var noGrad = no_grad();
        using var call = InferenceCall.Begin(Inference, LinearDType);
        using var backend = call.OpenBackend();
        using var scope = NewDisposeScope();
        var (ids, mask, scale) = Tokenizer.ContextInputTransform(context);
        var hidden = Model.Encode(ids, mask, backend);
        return (hidden.MoveToOuterDisposeScope(), scale.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// chronos.py: ChronosModel.forward → HF generate with min = max = <paramref name="steps"/> new tokens:
    /// encoder once per series, num_samples decoder rows per series (row b·S + s, as repeat_interleave), one cached
    /// decoder step per token. Returns token ids (B, S, steps).
    /// </summary>
    /// <remarks>
    /// When the kernels run and the batch has more decoder rows than <see cref="InferenceCall.GenerationRowLimit"/>, the
    /// series are generated in groups of at most that many rows, one after another: each group decodes with weights
    /// packed once (at 16 series × 20 samples libtorch's sgemm repacked every weight at every step, and its
    /// matrix-vector self-attention ran one product per row and head), and its caches are freed before the next group,
    /// so peak memory falls too. Rows never interact, so only the order of the random draws differs.
    /// </remarks>
    public Tensor GenerateTokens(Tensor tokenIds, Tensor attentionMask, int steps, int numSamples, TokenSampler sampler,
        Generator? generator = null)
    {
        using var noGrad = no_grad();
        // With the tuned allocator: 64 steps allocate the same activation sizes again and again, and reusing freed
        // buffers instead of faulting fresh pages in was 20% of T5-small at 16 series × 20 samples, for ~110 MiB more
        // peak memory (no target for T5).
        using var call = InferenceCall.Begin(Inference, LinearDType, reuseFreedBuffers: true);
        var batch = tokenIds.shape[0];
        var seriesPerGroup = Math.Max(1, InferenceCall.GenerationRowLimit / numSamples);
        if (!call.RunsKernels || batch * numSamples <= InferenceCall.GenerationRowLimit || batch <= seriesPerGroup)
            return GenerateGroup(call, tokenIds, attentionMask, steps, numSamples, sampler, generator);
        using var scope = NewDisposeScope();
        var groups = new List<Tensor>();
        for (var start = 0L; start < batch; start += seriesPerGroup)
        {
            var end = Math.Min(batch, start + seriesPerGroup);
            groups.Add(GenerateGroup(call, tokenIds[TensorIndex.Slice(start, end)], attentionMask[TensorIndex.Slice(start, end)],
                steps, numSamples, sampler, generator));
            call.EndChunk();
        }
        return cat(groups, 0).MoveToOuterDisposeScope();
    }

    private Tensor GenerateGroup(InferenceCall call, Tensor tokenIds, Tensor attentionMask, int steps, int numSamples,
        TokenSampler sampler, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var batch = tokenIds.shape[0];
        var rows = batch * numSamples;
        T5DecoderCache cache;
        using (var encoderBackend = call.OpenBackend())
        {
            var encoded = Model.Encode(tokenIds, attentionMask, encoderBackend);
            cache = Model.Decoder.StartDecoding(encoded, attentionMask, numSamples, steps, encoderBackend);
        }
        using var decodingCache = cache;
        using var backend = call.OpenGenerationBackend(rows, panelArena);
        var output = empty(rows, steps, dtype: ScalarType.Int64);
        var tokens = full(rows, 1, Model.Config.StartTokenId, dtype: ScalarType.Int64);
        for (var step = 0; step < steps; step++)
        {
            using var stepScope = NewDisposeScope();
            var hidden = Model.Decoder.Step(Model.Embed(tokens), cache, backend);
            var logits = Model.Logits(hidden, backend).select(1, 0);
            var next = sampler.Sample(logits, generator);
            output[TensorIndex.Colon, TensorIndex.Slice(step, step + 1)] = next;
            tokens = next.MoveToOuterDisposeScope();
        }
        return output.view(batch, numSamples, steps).MoveToOuterDisposeScope();
    }

    public ForecastFrame PredictFrame(SeriesFrame history, int? predictionLength = null, IReadOnlyList<float>? quantileLevels = null,
        FrameForecastOptions? options = null, CancellationToken cancellationToken = default) =>
        ForecastFrames.PredictUnivariate(this, history, predictionLength, quantileLevels, options, cancellationToken);

    Tensor IChronosPipeline.Predict(IReadOnlyList<float[]> series, int? predictionLength) => Predict(series, predictionLength);

    (Tensor Quantiles, Tensor Mean) IChronosPipeline.PredictQuantiles(IReadOnlyList<float[]> series, int? predictionLength,
        IReadOnlyList<float>? quantileLevels)
    {
        using var context = ContextBatch.LeftPadAndStack(series);
        return PredictQuantiles(context, predictionLength, quantileLevels);
    }

    ChronosEmbedding IChronosPipeline.Embed(IReadOnlyList<float[]> series)
    {
        using var context = ContextBatch.LeftPadAndStack(series);
        var (embeddings, scale) = Embed(context);
        return new ChronosEmbedding(embeddings, zeros_like(scale), scale);
    }

    IReadOnlyList<QuantileForecast> IChronosPipeline.ForecastSeries(IReadOnlyList<float[]> series, int predictionLength,
        IReadOnlyList<float> quantileLevels, int? batchSize, IProgress<int>? progress, CancellationToken cancellationToken) =>
        ForecastSeries(series, predictionLength, quantileLevels, null, batchSize ?? 16, progress, cancellationToken);

    public void Dispose()
    {
        Tokenizer.Dispose();
        Model.Dispose();
        panelArena.Dispose();
    }

    /// <summary>dtype of the model's weights (float32, or bfloat16 when loaded so).</summary>
    private ScalarType LinearDType => Model.WeightDType;

    private void CheckPredictionLength(int horizon, bool limitPredictionLength) =>
        PredictionLengthLimit.Check(horizon, Config.PredictionLength, limitPredictionLength, Warn);
}
