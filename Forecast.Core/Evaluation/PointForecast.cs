namespace Forecast.Core.Evaluation;

/// <summary>Which forecast the point metrics (MAE, RMSE, MAPE, sMAPE, MASE, WAPE) score.</summary>
public enum PointForecast
{
    /// <summary>The model's point forecast (the <c>mean</c> column).</summary>
    Mean,

    /// <summary>
    /// The 0.5 quantile, as the Chronos paper scores MASE (GluonTS <c>MASE(forecast_type="0.5")</c>); needs 0.5 among
    /// the evaluation quantiles. Equal to the mean for the baselines' symmetric Gaussian intervals.
    /// </summary>
    Median,
}
