namespace Forecast.Statistical;

/// <summary>No candidate model could be estimated on the series (R: "No model able to be fitted").</summary>
public sealed class ModelFitException(string message, Exception? inner = null) : Exception(message, inner);
