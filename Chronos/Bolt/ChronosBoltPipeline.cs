using System.Diagnostics;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Common;
using Forecast.Chronos.Frames;
using Forecast.Chronos.Inference;
using static TorchSharp.torch;

namespace Forecast.Chronos.Bolt;

/// <summary>
/// Chronos-Bolt forecasting (chronos_bolt.py: ChronosBoltPipeline, chronos 2.3): <see cref="Predict(Tensor,int?,bool)"/>
/// gives (B, Q, H) quantiles, <see cref="PredictQuantiles"/> any levels, <see cref="Embed"/> the encoder states.
/// Every call is one batch and thread-safe to call sequentially; adapters batch many series themselves
/// (<see cref="ContextBatch"/> builds a batch from arrays).
/// </summary>
public sealed class ChronosBoltPipeline : IChronosPipeline
{
    /// <summary>Wraps a loaded model and switches it to inference mode (dropout off).</summary>
    public ChronosBoltPipeline(ChronosBoltModel model)
    {
        Model = model;
        Model.eval();
    }

    public ChronosBoltModel Model { get; }

    /// <summary>Backend and process-wide tunings of inference calls (<see cref="ChronosInferenceOptions"/>).</summary>
    public ChronosInferenceOptions Inference { get; set; } = new();

    public IReadOnlyList<float> Quantiles => Model.ChronosConfig.Quantiles;

    public ChronosModelFamily Family => ChronosModelFamily.ChronosBolt;

    public int ContextLength => Model.ChronosConfig.ContextLength;

    public int PredictionLength => Model.ChronosConfig.PredictionLength;

    /// <summary>
    /// Most series run through the network at once; larger batches are processed in chunks of this size. The
    /// activations of a chunk (dominated by rows × d_ff feed-forward buffers, rows = series × patches) are what peak
    /// memory adds to the weights, while matrix products keep their efficiency from about 16 series × 33 patches
    /// (528 rows) on. Measured with float32 Bolt-small at 256 series (bench/Chronos, BENCH_CHUNK): peak RSS 376 MiB and
    /// 3.0 s with 8, 383–387 MiB and 2.3–2.7 s with 16, 397 with 24, 399–414 with 32 at the same speed as 16 within
    /// the host's noise.
    /// </summary>
    public int MaxBatchSize { get; set; } = 16;

    /// <summary>Receives the reference's warnings (long horizons, levels outside the trained range).</summary>
    public Action<string> Warn { get; set; } = message => Trace.TraceWarning(message);

    /// <summary>Forecast quantiles (B, Q, H) for left-padded series.</summary>
    public Tensor Predict(IReadOnlyList<float[]> series, int? predictionLength = null, bool limitPredictionLength = false)
    {
        using var context = ContextBatch.LeftPadAndStack(series);
        return Predict(context, predictionLength, limitPredictionLength);
    }

    /// <summary>
    /// chronos_bolt.py: predict. Horizons beyond the model's prediction_length are unrolled along the quantile paths:
    /// each of the Q quantile forecasts is appended to its own copy of the context, the model runs on all Q copies,
    /// and the Q·Q outputs are reduced to Q quantiles (torch.quantile, linear interpolation).
    /// </summary>
    public Tensor Predict(Tensor context, int? predictionLength = null, bool limitPredictionLength = false)
    {
        ContextBatch.Validate(context);
        var config = Model.ChronosConfig;
        var horizon = predictionLength ?? config.PredictionLength;
        CheckPredictionLength(horizon, limitPredictionLength);

        // With the tuned allocator, freed activation buffers are reused within a chunk (page faults were a fifth to a
        // quarter of the CPU time) and returned after it.
        using var noGrad = no_grad();
        using var call = InferenceCall.Begin(Inference, Model.StackDType, reuseFreedBuffers: true);
        using var backend = call.OpenBackend();
        using var scope = NewDisposeScope();
        context = context.to_type(ScalarType.Float32);
        if (context.shape[^1] > config.ContextLength)
            context = context[TensorIndex.Ellipsis, TensorIndex.Slice(-config.ContextLength)];
        var rows = context.shape[0];
        if (rows <= MaxBatchSize)
            return PredictChunk(context, horizon, backend).MoveToOuterDisposeScope();
        var chunks = new List<Tensor>();
        for (long start = 0; start < rows; start += MaxBatchSize)
        {
            using (var chunkScope = NewDisposeScope())
            {
                var chunk = context[TensorIndex.Slice(start, Math.Min(rows, start + MaxBatchSize))];
                chunks.Add(PredictChunk(chunk, horizon, backend).MoveToOuterDisposeScope());
            }
            call.EndChunk();
        }
        return cat(chunks, 0).MoveToOuterDisposeScope();
    }

    private Tensor PredictChunk(Tensor context, int horizon, IInferenceBackend backend)
    {
        var config = Model.ChronosConfig;
        using var scope = NewDisposeScope();
        var (batch, quantileCount) = (context.shape[0], (long)Quantiles.Count);
        var prediction = Model.forward(context, null, null, null, backend).QuantilePreds;
        var predictions = new List<Tensor> { prediction };
        var remaining = horizon - config.PredictionLength;
        if (remaining > 0)
        {
            var paths = context.unsqueeze(1).expand(batch, quantileCount, context.shape[^1]);
            while (remaining > 0)
            {
                paths = cat([paths, prediction], -1);
                if (paths.shape[^1] > config.ContextLength)
                    paths = paths[TensorIndex.Ellipsis, TensorIndex.Slice(-config.ContextLength)];
                var unrolled = Model.forward(paths.reshape(batch * quantileCount, -1), null, null, null, backend).QuantilePreds
                    .view(batch, quantileCount * quantileCount, config.PredictionLength);
                prediction = QuantileMath.Quantile(unrolled, Quantiles, 1).permute(1, 0, 2);
                predictions.Add(prediction);
                remaining -= config.PredictionLength;
            }
        }
        var result = cat(predictions, -1)[TensorIndex.Ellipsis, TensorIndex.Slice(0, horizon)].contiguous();
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// chronos_bolt.py: predict_quantiles → (quantiles (B, H, len(levels)), mean (B, H)); the mean is the 0.5 quantile.
    /// Levels the model was not trained on are interpolated on [q₀, q…, q_last] (first/last repeated), as the reference
    /// does, which assumes the equidistant 0.1…0.9 grid and clamps outside it.
    /// </summary>
    public (Tensor Quantiles, Tensor Mean) PredictQuantiles(Tensor context, int? predictionLength = null,
        IReadOnlyList<float>? quantileLevels = null, bool limitPredictionLength = false)
    {
        quantileLevels ??= [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f];
        using var scope = NewDisposeScope();
        var predictions = Predict(context, predictionLength, limitPredictionLength).swapaxes(1, 2); // (B, H, Q)
        var trained = Quantiles;
        Tensor quantiles;
        if (quantileLevels.All(level => trained.Contains(level)))
        {
            var indices = tensor(quantileLevels.Select(level => (long)QuantileMath.IndexOfLevel(trained, level)).ToArray());
            quantiles = predictions.index_select(-1, indices);
        }
        else
        {
            if (quantileLevels.Min() < trained[0] || quantileLevels.Max() > trained[^1])
                Warn($"Quantiles to be predicted ({string.Join(", ", quantileLevels)}) are not within the range of quantiles that "
                    + $"Chronos-Bolt was trained on ({string.Join(", ", trained)}). Quantile predictions will be set to the "
                    + "minimum/maximum levels at which Chronos-Bolt was trained on. This may significantly affect the quality of the predictions.");
            var last = TensorIndex.Slice(-1);
            var augmented = cat([predictions[TensorIndex.Ellipsis, TensorIndex.Slice(0, 1)], predictions, predictions[TensorIndex.Ellipsis, last]], -1);
            quantiles = QuantileMath.Quantile(augmented, quantileLevels, -1).permute(1, 2, 0);
        }
        var median = QuantileMath.IndexOfLevel(trained, 0.5f);
        if (median < 0)
            throw new InvalidOperationException("The model's quantiles do not include 0.5, which the reference returns as the mean.");
        var mean = predictions.select(-1, median);
        return (quantiles.contiguous().MoveToOuterDisposeScope(), mean.contiguous().MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Quantile forecasts of many series as arrays, <paramref name="batchSize"/> series per forward batch, with
    /// progress (series done) and cancellation between batches — what a pipeline adapter calls.
    /// </summary>
    public IReadOnlyList<QuantileForecast> ForecastSeries(IReadOnlyList<float[]> series, int predictionLength,
        IReadOnlyList<float> quantileLevels, int batchSize = 256, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default) =>
        SeriesBatches.Forecast(series, batchSize, quantileLevels,
            batch => PredictQuantiles(ContextBatch.LeftPadAndStack(batch), predictionLength, quantileLevels),
            progress, cancellationToken);

    /// <summary>
    /// chronos_bolt.py: embed → (encoder states (B, N(+1 REG), d), loc (B), scale (B)) of the last
    /// context_length values.
    /// </summary>
    public (Tensor Embeddings, Tensor Loc, Tensor Scale) Embed(Tensor context)
    {
        ContextBatch.Validate(context);
        using var noGrad = no_grad();
        using var call = InferenceCall.Begin(Inference, Model.StackDType);
        using var backend = call.OpenBackend();
        using var scope = NewDisposeScope();
        context = context.to_type(ScalarType.Float32);
        var length = Model.ChronosConfig.ContextLength;
        if (context.shape[^1] > length)
            context = context[TensorIndex.Ellipsis, TensorIndex.Slice(-length)];
        var encoding = Model.Encode(context, null, backend);
        return (encoding.EncoderHidden.MoveToOuterDisposeScope(), encoding.Loc.squeeze(-1).MoveToOuterDisposeScope(),
            encoding.Scale.squeeze(-1).MoveToOuterDisposeScope());
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
        var (embeddings, loc, scale) = Embed(context);
        return new ChronosEmbedding(embeddings, loc, scale);
    }

    IReadOnlyList<QuantileForecast> IChronosPipeline.ForecastSeries(IReadOnlyList<float[]> series, int predictionLength,
        IReadOnlyList<float> quantileLevels, int? batchSize, IProgress<int>? progress, CancellationToken cancellationToken) =>
        ForecastSeries(series, predictionLength, quantileLevels, batchSize ?? 256, progress, cancellationToken);

    public void Dispose() => Model.Dispose();

    private void CheckPredictionLength(int horizon, bool limitPredictionLength) =>
        PredictionLengthLimit.Check(horizon, Model.ChronosConfig.PredictionLength, limitPredictionLength, Warn);
}
