using Forecast.Core.Series;

namespace Forecast.Core.Models.Baselines;

/// <summary>
/// Mean: every step is the mean of the history (R forecast <c>meanf()</c>). Its interval follows meanf: a Student t
/// with n-1 degrees of freedom around the mean with standard error s·sqrt(1 + 1/n), s the sample standard deviation.
/// Missing values (NaN) are left out.
/// </summary>
public sealed class MeanForecaster(IntervalMethod intervals = IntervalMethod.Gaussian) : BaselineForecaster(intervals)
{
    public const string ModelName = "mean";

    public override string Name => ModelName;

    internal override BaselineFit Fit(TimeSeries history, int horizon)
    {
        var observed = history.Values.Where(double.IsFinite).ToArray();
        if (observed.Length == 0)
            throw new ArgumentException($"Series '{history.Id}' has no finite values; the mean forecast is undefined.", nameof(history));
        double mean = observed.Average();
        int n = observed.Length;
        double sd = 0;
        if (n > 1)
        {
            double ss = 0;
            foreach (double v in observed) ss += (v - mean) * (v - mean);
            sd = Math.Sqrt(ss / (n - 1));
        }
        double standardError = sd * Math.Sqrt(1 + 1.0 / n);
        var residuals = observed.Select(v => v - mean).ToArray();
        return new BaselineFit(
            Point: Enumerable.Repeat(mean, horizon).ToArray(),
            StandardError: Enumerable.Repeat(standardError, horizon).ToArray(),
            Residuals: residuals,
            ResidualScale: sd,
            DegreesOfFreedom: n > 1 ? n - 1 : null);
    }
}
