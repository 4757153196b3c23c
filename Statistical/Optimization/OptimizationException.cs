namespace Forecast.Statistical.Optimization;

/// <summary>Where R's optim stops with an error (a non-finite start or finite difference); the caller treats the fit as failed.</summary>
internal sealed class OptimizationException(string message) : Exception(message);
