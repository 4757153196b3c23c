using System.Diagnostics;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Common;
using Forecast.Chronos.Frames;
using Forecast.Chronos.Inference;
using Forecast.Chronos.Lora;
using static TorchSharp.torch;

namespace Forecast.Chronos.Chronos2;

/// <summary>
/// Chronos-2 forecasting (chronos2/pipeline.py: Chronos2Pipeline): <see cref="Predict"/> gives per task
/// (n_targets, Q, H) quantiles for univariate, multivariate and covariate-informed tasks, <see cref="PredictQuantiles"/>
/// any levels, <see cref="Embed"/> the encoder states. Horizons beyond one forward pass are rolled out along
/// quantile paths as the reference does.
/// </summary>
public sealed class Chronos2Pipeline : IChronosPipeline
{
    public Chronos2Pipeline(Chronos2Model model)
    {
        Model = model;
        Model.eval();
    }

    public Chronos2Model Model { get; }

    /// <summary>Backend and process-wide tunings of inference calls (<see cref="ChronosInferenceOptions"/>).</summary>
    public ChronosInferenceOptions Inference { get; set; } = new();

    public IReadOnlyList<float> Quantiles => Model.ChronosConfig.Quantiles;

    public ChronosModelFamily Family => ChronosModelFamily.Chronos2;

    public int ContextLength => Model.ChronosConfig.ContextLength;

    int IChronosPipeline.PredictionLength => ModelPredictionLength;

    /// <summary>Steps one forward pass predicts: max_output_patches × output_patch_size.</summary>
    public int ModelPredictionLength => Model.ChronosConfig.PredictionLength;

    /// <summary>
    /// Most rows one forward pass takes; larger batches run in chunks of whole groups (a group larger than this, e.g.
    /// with cross-learning, runs at once). Bounds the activations (rows × 133 positions × d_ff for 2048-step
    /// histories) without changing results. 8: with the kernels 32 series of 2048 steps peaked at 835–839 MiB with 8
    /// rows against 1054–1059 with 16 (1105 with 32 at 64 series), for the same CPU time per series (9.1–9.2 s against
    /// 9.2–9.6 s per 32 series on one thread); a pass's activations then stay nearer the caches.
    /// </summary>
    public int MaxRowsPerForward { get; set; } = 8;

    /// <summary>Receives the reference's warnings (long horizons, levels outside the trained range, context length).</summary>
    public Action<string> Warn { get; set; } = message => Trace.TraceWarning(message);

    /// <summary>Forecasts univariate series, one task each: (1, Q, H) per series.</summary>
    public IReadOnlyList<Tensor> Predict(IReadOnlyList<float[]> series, int? predictionLength = null, Chronos2PredictOptions? options = null) =>
        Predict(series.Select(Chronos2Input.Univariate).ToList(), predictionLength, options);

    /// <summary>
    /// A 3-D input (series, variates, time) as the reference's tensor input (preprocess.py: from_tensor): the variates
    /// of each series form one task and are forecast jointly → (variates, Q, H) per series.
    /// </summary>
    public IReadOnlyList<Tensor> Predict(Tensor inputs, int? predictionLength = null, Chronos2PredictOptions? options = null)
    {
        if (inputs.dim() != 3)
            throw new ArgumentException(
                $"A tensor input must be 3-D (series, variates, time), found shape [{string.Join(", ", inputs.shape)}]; "
                + "pass a list of series for 1-D/2-D inputs.", nameof(inputs));
        using var values = inputs.to_type(ScalarType.Float32).cpu().contiguous();
        var (count, variates, length) = ((int)values.shape[0], (int)values.shape[1], (int)values.shape[2]);
        var data = values.data<float>().ToArray();
        var tasks = Enumerable.Range(0, count).Select(i => new Chronos2Input(Enumerable.Range(0, variates)
            .Select(v => data.AsSpan((i * variates + v) * length, length).ToArray()).ToArray())).ToList();
        return Predict(tasks, predictionLength, options);
    }

    /// <summary>
    /// pipeline.py: predict — one (n_targets, Q, H) float32 tensor per task, in input order.
    /// </summary>
    public IReadOnlyList<Tensor> Predict(IReadOnlyList<Chronos2Input> inputs, int? predictionLength = null, Chronos2PredictOptions? options = null)
    {
        options ??= new Chronos2PredictOptions();
        var horizon = predictionLength ?? ModelPredictionLength;
        CheckPredictionLength(horizon, options.LimitPredictionLength);
        var maxOutputPatches = options.MaxOutputPatches ?? Model.ChronosConfig.MaxOutputPatches;
        if (maxOutputPatches < 1)
            throw new ArgumentOutOfRangeException(nameof(options), maxOutputPatches, "MaxOutputPatches must be at least 1.");
        var unrolled = options.UnrolledQuantiles;
        if (unrolled.Count == 0 || unrolled.Any(q => !Quantiles.Contains(q)))
            throw new ArgumentException(
                $"UnrolledQuantiles ({string.Join(", ", unrolled)}) must be a non-empty subset of the model's quantiles ({string.Join(", ", Quantiles)}).",
                nameof(options));
        var contextLength = EffectiveContextLength(options.ContextLength);

        var results = new List<Tensor>();
        using var noGrad = no_grad();
        using var call = InferenceCall.Begin(Inference, Model.EncoderDType);
        // Series that are each their own group: the composed weights the model keeps for them are made now, before the
        // call reuses freed activation buffers (made among those buffers, they would pin the heap's pages).
        if (inputs.Count > 0 && !options.CrossLearning && inputs.All(input => input.RowCount == 1))
        {
            using var preparing = call.OpenBackend();
            Model.PrepareOwnGroups(preparing, Math.Min(EncoderRows(inputs, contextLength), MaxRowsPerForward * inputs.Max(input => EncoderRows([input], contextLength))));
        }
        call.ReuseFreedBuffers();
        using var backend = call.OpenBackend(composeChains: KernelBackend.ComposesChains(EncoderRows(inputs, contextLength), Model.Config.DModel));
        foreach (var batch in Chronos2Batcher.Batches(inputs, horizon, contextLength, options.BatchSize, options.AllowUnseenCategories))
        {
            using (batch)
            using (var scope = NewDisposeScope())
            {
                var groupIds = options.CrossLearning ? zeros_like(batch.GroupIds) : batch.GroupIds;
                var prediction = PredictBatch(batch.Context, groupIds, batch.FutureCovariates, horizon, maxOutputPatches, unrolled, backend);
                foreach (var (start, end) in batch.TargetRanges)
                    results.Add(prediction[TensorIndex.Slice(start, end)].contiguous().MoveToOuterDisposeScope());
            }
            call.EndChunk();
        }
        return results;
    }

    /// <summary>
    /// pipeline.py: predict_quantiles → per task (quantiles (n_targets, H, len(levels)), mean (n_targets, H)); the
    /// mean is the 0.5 quantile. Levels the model was not trained on are interpolated (utils.py:
    /// interpolate_quantiles), and clamped to the outermost trained levels outside their range (with a warning).
    /// </summary>
    public (IReadOnlyList<Tensor> Quantiles, IReadOnlyList<Tensor> Mean) PredictQuantiles(IReadOnlyList<Chronos2Input> inputs,
        int? predictionLength = null, IReadOnlyList<float>? quantileLevels = null, Chronos2PredictOptions? options = null)
    {
        quantileLevels ??= [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f];
        if (quantileLevels.Count == 0 || quantileLevels.Any(q => q is < 0 or > 1))
            throw new ArgumentException("Quantile levels must be a non-empty list of values in [0, 1].", nameof(quantileLevels));
        var trained = Quantiles;
        var median = QuantileMath.IndexOfLevel(trained, 0.5f);
        if (median < 0)
            throw new InvalidOperationException("The model's quantiles do not include 0.5, which the reference returns as the mean.");
        var subset = quantileLevels.All(level => QuantileMath.IndexOfLevel(trained, level) >= 0);
        if (!subset && (quantileLevels.Min() < trained[0] || quantileLevels.Max() > trained[^1]))
            Warn($"Quantiles to be predicted ({string.Join(", ", quantileLevels)}) are not within the range of quantiles that Chronos-2 "
                + $"was trained on ({string.Join(", ", trained)}). Quantile predictions will be set to the minimum/maximum levels at "
                + "which Chronos-2 was trained on. This may significantly affect the quality of the predictions.");

        var predictions = Predict(inputs, predictionLength, options);
        var quantiles = new List<Tensor>();
        var means = new List<Tensor>();
        using var trainedLevels = tensor(trained.ToArray());
        foreach (var prediction in predictions)
        {
            using (prediction)
            using (var scope = NewDisposeScope())
            {
                var swapped = prediction.swapaxes(-1, -2);     // (V, H, Q)
                var selected = subset
                    ? swapped.index_select(-1, tensor(quantileLevels.Select(l => (long)QuantileMath.IndexOfLevel(trained, l)).ToArray()))
                    : QuantileInterpolation.Interpolate(quantileLevels, trainedLevels, swapped);
                quantiles.Add(selected.contiguous().MoveToOuterDisposeScope());
                means.Add(swapped.select(-1, median).contiguous().MoveToOuterDisposeScope());
            }
        }
        return (quantiles, means);
    }

    /// <summary>
    /// Quantile forecasts of many univariate series as arrays (each series its own task), with progress (series
    /// done) and cancellation between batches — what a pipeline adapter calls, as ChronosBoltPipeline.ForecastSeries.
    /// </summary>
    public IReadOnlyList<QuantileForecast> ForecastSeries(IReadOnlyList<float[]> series, int predictionLength,
        IReadOnlyList<float> quantileLevels, int batchSize = 256, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default) =>
        ForecastTasks(series.Select(Chronos2Input.Univariate).ToList(), predictionLength, quantileLevels, batchSize,
            progress, cancellationToken).Select(task => task[0]).ToList();

    /// <summary>
    /// Quantile forecasts of many tasks (with variates and covariates) as arrays: per task one
    /// <see cref="QuantileForecast"/> per target variate. Tasks are run about <paramref name="batchSize"/> rows at a
    /// time (never split), each batch in its own dispose scope; progress reports tasks done. Categorical covariates are
    /// encoded over all tasks first, as one predict call of the reference would. <paramref name="options"/>' batch size
    /// is replaced by <paramref name="batchSize"/>.
    /// </summary>
    public IReadOnlyList<QuantileForecast[]> ForecastTasks(IReadOnlyList<Chronos2Input> tasks, int predictionLength,
        IReadOnlyList<float> quantileLevels, int batchSize = 256, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default, Chronos2PredictOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        options = (options ?? new Chronos2PredictOptions()) with { BatchSize = batchSize };
        Chronos2Batcher.Validate(tasks, predictionLength);
        tasks = CategoricalCovariates.Encode(tasks, options.AllowUnseenCategories);
        var results = new List<QuantileForecast[]>(tasks.Count);
        var next = 0;
        while (next < tasks.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunk = new List<Chronos2Input>();
            for (var rows = 0; next < tasks.Count && rows < batchSize; next++)
            {
                chunk.Add(tasks[next]);
                rows += tasks[next].RowCount;
            }
            using (var scope = NewDisposeScope())
            {
                var (quantiles, means) = PredictQuantiles(chunk, predictionLength, quantileLevels, options);
                for (var t = 0; t < chunk.Count; t++)
                {
                    var q = quantiles[t].contiguous().data<float>().ToArray();     // (V, H, L)
                    var m = means[t].contiguous().data<float>().ToArray();         // (V, H)
                    var variates = (int)quantiles[t].shape[0];
                    var forecasts = new QuantileForecast[variates];
                    for (var v = 0; v < variates; v++)
                    {
                        var perLevel = new float[quantileLevels.Count][];
                        for (var level = 0; level < quantileLevels.Count; level++)
                        {
                            perLevel[level] = new float[predictionLength];
                            for (var step = 0; step < predictionLength; step++)
                                perLevel[level][step] = q[((v * predictionLength) + step) * quantileLevels.Count + level];
                        }
                        forecasts[v] = new QuantileForecast(quantileLevels, perLevel, m.AsSpan(v * predictionLength, predictionLength).ToArray());
                    }
                    results.Add(forecasts);
                }
            }
            progress?.Report(results.Count);
        }
        return results;
    }

    /// <summary>
    /// pipeline.py: embed → per task the encoder states (n_variates, N + 2, d) — N context patches, REG and one
    /// masked output patch — and (loc, scale) (n_variates, 1) of its rows.
    /// </summary>
    public (IReadOnlyList<Tensor> Embeddings, IReadOnlyList<(Tensor Loc, Tensor Scale)> LocScale) Embed(
        IReadOnlyList<Chronos2Input> inputs, int batchSize = 256, int? contextLength = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Any(i => i is { FutureCovariates.Count: > 0 } or { FutureCategoricals.Count: > 0 }))
            throw new ArgumentException("Embed takes histories only; remove FutureCovariates and FutureCategoricals.", nameof(inputs));
        var length = EffectiveContextLength(contextLength);
        var embeddings = new List<Tensor>();
        var locScales = new List<(Tensor, Tensor)>();
        using var noGrad = no_grad();
        using var call = InferenceCall.Begin(Inference, Model.EncoderDType, reuseFreedBuffers: true);
        using var backend = call.OpenBackend();
        foreach (var batch in Chronos2Batcher.Batches(inputs, 0, length, batchSize))
        {
            using (batch)
            using (var scope = NewDisposeScope())
            {
                var (hidden, loc, scale) = EncodeInChunks(batch.Context, batch.GroupIds, backend);
                foreach (var (start, end) in batch.TargetRanges)
                {
                    var rows = TensorIndex.Slice(start, end);
                    embeddings.Add(hidden[rows].contiguous().MoveToOuterDisposeScope());
                    locScales.Add((loc[rows].contiguous().MoveToOuterDisposeScope(), scale[rows].contiguous().MoveToOuterDisposeScope()));
                }
            }
        }
        return (embeddings, locScales);
    }

    /// <summary>
    /// pipeline.py: predict_df — tasks from the table (<see cref="Chronos2FrameTasks"/>: covariate columns, known-future
    /// columns of <see cref="FrameForecastOptions.Future"/>, groups), forecast, one row per series and step.
    /// </summary>
    public ForecastFrame PredictFrame(SeriesFrame history, int? predictionLength = null, IReadOnlyList<float>? quantileLevels = null,
        FrameForecastOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FrameForecastOptions();
        var horizon = predictionLength ?? ModelPredictionLength;
        var levels = quantileLevels ?? ForecastFrames.DefaultLevels;
        var tasks = Chronos2FrameTasks.Build(history, horizon, options);
        var perTask = ForecastTasks(tasks.Tasks, horizon, levels, options.BatchSize ?? 256, options.Progress, cancellationToken,
            new Chronos2PredictOptions { CrossLearning = options.CrossLearning, AllowUnseenCategories = options.AllowUnseenCategories });
        return ForecastFrames.Build(tasks.Ids, tasks.FutureTimestamps, tasks.Unpack(perTask), levels);
    }

    Tensor IChronosPipeline.Predict(IReadOnlyList<float[]> series, int? predictionLength)
    {
        using var scope = NewDisposeScope();
        return cat(Predict(series, predictionLength).ToArray(), 0).MoveToOuterDisposeScope();
    }

    (Tensor Quantiles, Tensor Mean) IChronosPipeline.PredictQuantiles(IReadOnlyList<float[]> series, int? predictionLength,
        IReadOnlyList<float>? quantileLevels)
    {
        using var scope = NewDisposeScope();
        var (quantiles, mean) = PredictQuantiles(series.Select(Chronos2Input.Univariate).ToList(), predictionLength, quantileLevels);
        return (cat(quantiles.ToArray(), 0).MoveToOuterDisposeScope(), cat(mean.ToArray(), 0).MoveToOuterDisposeScope());
    }

    /// <summary>Every series left-padded to the longest (so all have the same patches), each its own task.</summary>
    ChronosEmbedding IChronosPipeline.Embed(IReadOnlyList<float[]> series)
    {
        using var scope = NewDisposeScope();
        var length = series.Max(s => s.Length);
        var padded = series.Select(s => Chronos2Input.Univariate([.. Enumerable.Repeat(float.NaN, length - s.Length), .. s])).ToList();
        var (embeddings, locScale) = Embed(padded);
        return new ChronosEmbedding(cat(embeddings.ToArray(), 0).MoveToOuterDisposeScope(),
            cat(locScale.Select(l => l.Loc.view(-1)).ToArray(), 0).MoveToOuterDisposeScope(),
            cat(locScale.Select(l => l.Scale.view(-1)).ToArray(), 0).MoveToOuterDisposeScope());
    }

    IReadOnlyList<QuantileForecast> IChronosPipeline.ForecastSeries(IReadOnlyList<float[]> series, int predictionLength,
        IReadOnlyList<float> quantileLevels, int? batchSize, IProgress<int>? progress, CancellationToken cancellationToken) =>
        ForecastSeries(series, predictionLength, quantileLevels, batchSize ?? 256, progress, cancellationToken);

    /// <summary>
    /// Loads a peft LoRA adapter (adapter_config.json + adapter_model.safetensors, as Chronos2Pipeline.fit with
    /// finetune_mode="lora" saves it) and merges it into this pipeline's weights, as the reference's from_pretrained
    /// does (AutoPeftModel + merge_and_unload).
    /// </summary>
    /// <exception cref="LoraAdapterException">Bad adapter files, or an adapter made for another base model (named tensor and shapes).</exception>
    public void MergeAdapter(string adapterFolder)
    {
        using var adapter = LoraAdapter.Load(adapterFolder, Model);
        adapter.Merge();
        Model.InvalidateComposedWeights();
    }

    public void Dispose() => Model.Dispose();

    /// <summary>
    /// pipeline.py: _predict_batch — a first pass of min(⌈H/P⌉, max_output_patches) patches; if more steps are
    /// needed, every row is expanded into one path per unrolled quantile (group ids shifted so that paths do not
    /// mix), the paths' quantiles are appended to their contexts and the (paths × quantiles) outputs are reduced to
    /// the model's quantiles with trapezoid masses (weighted_quantile).
    /// </summary>
    private Tensor PredictBatch(Tensor context, Tensor groupIds, Tensor futureCovariates, int horizon, int maxOutputPatches,
        IReadOnlyList<float> unrolledQuantiles, IInferenceBackend backend)
    {
        using var scope = NewDisposeScope();
        var patchSize = Model.PatchSize;
        int OutputPatches(int remaining) => Math.Min((remaining + patchSize - 1) / patchSize, maxOutputPatches);

        var prediction = PredictStep(context, groupIds, futureCovariates, OutputPatches(horizon), backend);
        var predictions = new List<Tensor> { prediction };
        var remaining = horizon - (int)prediction.shape[^1];
        if (remaining > 0)
        {
            var (batch, paths) = (context.shape[0], (long)unrolledQuantiles.Count);
            var pathContext = context.unsqueeze(1).expand(batch, paths, context.shape[^1]).contiguous();
            var pathFuture = futureCovariates.unsqueeze(1).expand(batch, paths, futureCovariates.shape[^1]).contiguous();
            var pathGroups = (groupIds.unsqueeze(1) * paths + arange(paths, dtype: ScalarType.Int64).unsqueeze(0)).reshape(-1);
            var weights = outer(QuantileInterpolation.ProbabilityMass(unrolledQuantiles), QuantileInterpolation.ProbabilityMass(Quantiles))
                .reshape(-1);
            using var trainedLevels = tensor(Quantiles.ToArray());
            while (remaining > 0)
            {
                // The unrolled quantiles of the last prediction extend each path's context.
                var appended = QuantileInterpolation.Interpolate(unrolledQuantiles, trainedLevels, prediction.swapaxes(1, 2))
                    .swapaxes(1, 2);                                                    // (B, paths, h)
                pathContext = cat([pathContext, appended], -1);
                if (pathContext.shape[^1] > Model.ChronosConfig.ContextLength)
                    pathContext = pathContext[TensorIndex.Ellipsis, TensorIndex.Slice(-Model.ChronosConfig.ContextLength)];
                var slide = prediction.shape[^1];
                (pathContext, pathFuture) = SlideKnownCovariates(pathContext, pathFuture, slide);
                var step = PredictStep(pathContext.reshape(batch * paths, -1), pathGroups,
                    pathFuture.reshape(batch * paths, -1), OutputPatches(remaining), backend);       // (B·paths, Q, h)
                var h = step.shape[^1];
                var samples = step.view(batch, paths * Quantiles.Count, h).swapaxes(1, 2); // (B, h, paths·Q)
                prediction = QuantileInterpolation.WeightedQuantile(Quantiles, weights, samples).swapaxes(1, 2);
                predictions.Add(prediction);
                remaining -= (int)h;
            }
        }
        var result = cat(predictions, -1)[TensorIndex.Ellipsis, TensorIndex.Slice(0, horizon)];
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// About how many rows (series × patches) of the inputs go through the encoder: the call's size for
    /// <see cref="KernelBackend.ComposesChains"/>.
    /// </summary>
    private long EncoderRows(IReadOnlyList<Chronos2Input> inputs, int contextLength) =>
        inputs.Sum(input => (long)input.RowCount * (Math.Min(input.HistoryLength, contextLength) / Model.ChronosConfig.InputPatchSize + 1));

    /// <summary>
    /// pipeline.py: _predict_step — future covariates NaN-padded or cut to the pass's output length. Rows run through
    /// the network in chunks of whole groups (about <see cref="MaxRowsPerForward"/> rows): groups never attend to
    /// each other, so the result is the reference's, while activations stay small enough for the caches.
    /// </summary>
    private Tensor PredictStep(Tensor context, Tensor groupIds, Tensor futureCovariates, int outputPatches, IInferenceBackend backend)
    {
        using var scope = NewDisposeScope();
        var outputSize = outputPatches * Model.PatchSize;
        var available = futureCovariates.shape[1];
        futureCovariates = outputSize > available
            ? cat([futureCovariates, full(futureCovariates.shape[0], outputSize - available, float.NaN)], 1)
            : futureCovariates[.., TensorIndex.Slice(0, outputSize)];
        var rows = context.shape[0];
        if (rows <= MaxRowsPerForward)
            return Forward(context, groupIds, futureCovariates, outputPatches, backend).MoveToOuterDisposeScope();

        var output = empty(rows, Quantiles.Count, outputSize);
        foreach (var chunk in GroupChunks(groupIds.data<long>().ToArray(), MaxRowsPerForward))
        {
            FreedBufferReuse.ReturnFreePages();   // the previous chunk's freed buffers kept for reuse go back (as Bolt's)
            using var chunkScope = NewDisposeScope();
            var index = tensor(chunk);
            var preds = Forward(context.index_select(0, index), groupIds.index_select(0, index),
                futureCovariates.index_select(0, index), outputPatches, backend);
            output.index_copy_(0, index, preds);
        }
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>model.py: encode with one output patch, in chunks of whole groups as <see cref="PredictStep"/>.</summary>
    private (Tensor Hidden, Tensor Loc, Tensor Scale) EncodeInChunks(Tensor context, Tensor groupIds, IInferenceBackend backend)
    {
        if (context.shape[0] <= MaxRowsPerForward)
        {
            using var whole = Model.Encode(backend, context, groupIds: groupIds);
            return (whole.Hidden.alias(), whole.Loc.alias(), whole.Scale.alias());
        }
        Tensor? hidden = null;
        var loc = empty(context.shape[0], 1);
        var scale = empty(context.shape[0], 1);
        foreach (var chunk in GroupChunks(groupIds.data<long>().ToArray(), MaxRowsPerForward))
        {
            FreedBufferReuse.ReturnFreePages();   // the previous chunk's freed buffers kept for reuse go back (as Bolt's)
            using var chunkScope = NewDisposeScope();
            var index = tensor(chunk);
            var encoding = Model.Encode(backend, context.index_select(0, index), groupIds: groupIds.index_select(0, index));
            if (hidden is null)
            {
                hidden = empty([context.shape[0], .. encoding.Hidden.shape[1..]], dtype: encoding.Hidden.dtype);
                hidden.MoveToOuterDisposeScope();
            }
            hidden.index_copy_(0, index, encoding.Hidden);
            loc.index_copy_(0, index, encoding.Loc);
            scale.index_copy_(0, index, encoding.Scale);
        }
        return (hidden!, loc, scale);
    }

    private Tensor Forward(Tensor context, Tensor groupIds, Tensor futureCovariates, int outputPatches, IInferenceBackend backend) =>
        Model.forward(backend, context, groupIds: groupIds, futureCovariates: futureCovariates, numOutputPatches: outputPatches).QuantilePreds;

    /// <summary>Row indices of whole groups, in order of first appearance, about <paramref name="limit"/> rows per chunk.</summary>
    private static IEnumerable<long[]> GroupChunks(long[] groupIds, int limit)
    {
        var rowsByGroup = new Dictionary<long, List<long>>();
        var order = new List<long>();
        for (var row = 0; row < groupIds.Length; row++)
        {
            if (!rowsByGroup.TryGetValue(groupIds[row], out var list))
            {
                rowsByGroup[groupIds[row]] = list = [];
                order.Add(groupIds[row]);
            }
            list.Add(row);
        }
        var chunk = new List<long>();
        foreach (var group in order)
        {
            if (chunk.Count > 0 && chunk.Count + rowsByGroup[group].Count > limit)
            {
                yield return chunk.ToArray();
                chunk.Clear();
            }
            chunk.AddRange(rowsByGroup[group]);
        }
        if (chunk.Count > 0)
            yield return chunk.ToArray();
    }

    /// <summary>
    /// pipeline.py: _slide_context_and_future_covariates — where a future covariate is known, its true value
    /// replaces the predicted one just appended to the context; the future covariates move on by the same steps.
    /// </summary>
    private static (Tensor Context, Tensor Future) SlideKnownCovariates(Tensor context, Tensor future, long slide)
    {
        var available = Math.Min(slide, future.shape[^1]);
        var known = future[TensorIndex.Ellipsis, TensorIndex.Slice(0, available)];
        if (available < slide)
            known = cat([known, full([.. known.shape[..^1], slide - available], float.NaN)], -1);
        var tail = context[TensorIndex.Ellipsis, TensorIndex.Slice(-slide)];
        var replaced = where(known.isnan(), tail, known);
        var head = context[TensorIndex.Ellipsis, TensorIndex.Slice(0, context.shape[^1] - slide)];
        return (cat([head, replaced], -1), future[TensorIndex.Ellipsis, TensorIndex.Slice(available)]);
    }

    private int EffectiveContextLength(int? requested)
    {
        var limit = Model.ChronosConfig.ContextLength;
        if (requested is null)
            return limit;
        if (requested < 1)
            throw new ArgumentOutOfRangeException(nameof(requested), requested, "The context length must be at least 1.");
        if (requested > limit)
        {
            Warn($"The specified context_length {requested} is greater than the model's default context length {limit}. "
                + $"Resetting context_length to {limit}.");
            return limit;
        }
        return requested.Value;
    }

    private void CheckPredictionLength(int horizon, bool limitPredictionLength) =>
        PredictionLengthLimit.Check(horizon, ModelPredictionLength, limitPredictionLength, Warn);
}
