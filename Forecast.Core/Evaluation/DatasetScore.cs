namespace Forecast.Core.Evaluation;

/// <summary>
/// The metrics of one model on one dataset. Scale-free per-forecast metrics (MAE, RMSE, MAPE, sMAPE, MASE) are means
/// over forecasts (series × window) with a finite value; WAPE, WQL and coverage are pooled over all points, as
/// summarize.R of the baselines and GluonTS' evaluation (used by the Chronos paper) define them.
/// </summary>
public sealed record DatasetScore(string Dataset, string Model, int Series, int Windows, IReadOnlyDictionary<string, double> Metrics);
