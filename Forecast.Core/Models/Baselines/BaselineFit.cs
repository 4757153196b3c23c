namespace Forecast.Core.Models.Baselines;

/// <summary>
/// What a baseline learns from one history: the point forecast per step, the h-step standard error, the in-sample
/// residuals (NaN-free) with their scale, and the degrees of freedom when intervals follow a Student t (mean model).
/// </summary>
internal sealed record BaselineFit(double[] Point, double[] StandardError, double[] Residuals, double ResidualScale, double? DegreesOfFreedom);
