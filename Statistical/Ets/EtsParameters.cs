namespace Forecast.Statistical.Ets;

/// <summary>Smoothing parameters of a fitted ETS model; β, γ and φ are null where the form has no such component.</summary>
public sealed record EtsParameters(double Alpha, double? Beta, double? Gamma, double? Phi);
