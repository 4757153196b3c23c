namespace Forecast.Chronos.Common;

/// <summary>
/// The reference pipelines' check of a requested horizon against the model's trained prediction_length
/// (chronos.py / chronos_bolt.py / chronos2 pipeline: "We recommend keeping prediction length &lt;= …"): beyond it a
/// warning, or an error when the caller opts into the limit.
/// </summary>
internal static class PredictionLengthLimit
{
    public static void Check(int horizon, int trainedLength, bool limitPredictionLength, Action<string> warn)
    {
        if (horizon < 1)
            throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "prediction_length must be at least 1.");
        if (horizon <= trainedLength)
            return;
        var message = $"We recommend keeping prediction length <= {trainedLength}. "
            + "The quality of longer predictions may degrade since the model is not optimized for it. ";
        if (limitPredictionLength)
            throw new ArgumentException(message + "You can turn off this check by setting limitPredictionLength: false.");
        warn(message);
    }
}
