namespace Forecast.Chronos.Chronos2;

/// <summary>
/// A future value of a categorical covariate that no history of the call had: the reference maps it to a sentinel
/// (the series' mean target, or missing), which hides a data error more often than not, so it is refused unless asked
/// for (<see cref="Chronos2PredictOptions.AllowUnseenCategories"/>).
/// </summary>
public sealed class UnseenCategoryException(string message) : ArgumentException(message);
