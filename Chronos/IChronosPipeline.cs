using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.Common;
using Forecast.Chronos.Frames;
using Forecast.Chronos.Inference;
using static TorchSharp.torch;

namespace Forecast.Chronos;

/// <summary>
/// What every Chronos pipeline offers (chronos-forecasting base.py: BaseChronosPipeline), whatever the family: the
/// pipeline <see cref="Chronos.FromPretrained"/> returns. Univariate series in, forecasts out; Chronos-2's tasks with
/// covariates and groups go through <see cref="PredictFrame"/> or the family's own pipeline.
/// </summary>
public interface IChronosPipeline : IDisposable
{
    ChronosModelFamily Family { get; }

    /// <summary>The history the model reads (chronos_config.context_length); longer series keep their last values.</summary>
    int ContextLength { get; }

    /// <summary>Steps the model predicts in one pass; longer horizons are unrolled as the reference does, with a warning.</summary>
    int PredictionLength { get; }

    /// <summary>The levels the model predicts directly (Bolt, Chronos-2); empty for Chronos-T5, whose quantiles come from samples.</summary>
    IReadOnlyList<float> Quantiles { get; }

    /// <summary>Backend and process-wide tunings of inference calls.</summary>
    ChronosInferenceOptions Inference { get; set; }

    /// <summary>Receives the reference's warnings (long horizons, levels outside the trained range).</summary>
    Action<string> Warn { get; set; }

    /// <summary>
    /// base.py: predict — for each series (left-padded with NaN to a common length) quantiles (B, Q, H) at
    /// <see cref="Quantiles"/> (Bolt, Chronos-2) or sample paths (B, S, H) (Chronos-T5).
    /// </summary>
    Tensor Predict(IReadOnlyList<float[]> series, int? predictionLength = null);

    /// <summary>base.py: predict_quantiles → (quantiles (B, H, levels), mean (B, H)).</summary>
    (Tensor Quantiles, Tensor Mean) PredictQuantiles(IReadOnlyList<float[]> series, int? predictionLength = null,
        IReadOnlyList<float>? quantileLevels = null);

    /// <summary>The encoder's states of every series (left-padded to a common length) and how each was scaled.</summary>
    ChronosEmbedding Embed(IReadOnlyList<float[]> series);

    /// <summary>
    /// Quantile forecasts of many series as arrays, a batch at a time (<paramref name="batchSize"/>, null: the family's
    /// default), with progress (series done) and cancellation between batches.
    /// </summary>
    IReadOnlyList<QuantileForecast> ForecastSeries(IReadOnlyList<float[]> series, int predictionLength, IReadOnlyList<float> quantileLevels,
        int? batchSize = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// base.py: predict_df — a long-format table (unique_id, ds, target, covariate columns) in, a forecast table
    /// (unique_id, ds, mean, one column per quantile level) out, in the order series first appear. Chronos-2 reads the
    /// covariate columns (past-only, or known-future when <see cref="FrameForecastOptions.Future"/> has them) and groups
    /// series into tasks; Chronos-T5 and Bolt are univariate and ignore them, as the reference does.
    /// </summary>
    ForecastFrame PredictFrame(SeriesFrame history, int? predictionLength = null, IReadOnlyList<float>? quantileLevels = null,
        FrameForecastOptions? options = null, CancellationToken cancellationToken = default);
}

/// <summary>
/// Encoder states (B, L, d) of B series and their scaling: <c>Loc</c> (B) and <c>Scale</c> (B) as the model
/// normalised them (Chronos-T5 only scales: its loc is 0).
/// </summary>
public sealed record ChronosEmbedding(Tensor Embeddings, Tensor Loc, Tensor Scale) : IDisposable
{
    public void Dispose()
    {
        Embeddings.Dispose();
        Loc.Dispose();
        Scale.Dispose();
    }
}
