namespace Forecast.Statistical;

/// <summary>
/// Forecasts of a fitted model: the point forecast (<see cref="Mean"/>) and, per level, the lower and upper bounds of
/// the central prediction interval (R's <c>forecast</c> object: <c>$mean</c>, <c>$lower</c>, <c>$upper</c>).
/// </summary>
public sealed class StatisticalForecast
{
    public StatisticalForecast(double[] mean, IReadOnlyList<double> levels, double[][] lower, double[][] upper)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(levels);
        if (lower.Length != levels.Count || upper.Length != levels.Count)
            throw new ArgumentException("Give one lower and one upper row per level.");
        Mean = mean;
        Levels = levels;
        Lower = lower;
        Upper = upper;
    }

    /// <summary>Point forecasts (the mean of the forecast distribution, as R), steps 1..h.</summary>
    public double[] Mean { get; }

    /// <summary>Interval levels in percent, ascending.</summary>
    public IReadOnlyList<double> Levels { get; }

    /// <summary><c>Lower[i][h]</c>: lower bound at <c>Levels[i]</c>, step h+1.</summary>
    public double[][] Lower { get; }

    /// <summary><c>Upper[i][h]</c>: upper bound at <c>Levels[i]</c>, step h+1.</summary>
    public double[][] Upper { get; }

    public int Horizon => Mean.Length;

    /// <summary>
    /// The <paramref name="q"/>-quantile per step, as the R baselines read it: q &lt; 0.5 is the lower bound of the
    /// 100·(1 − 2q)% interval, q &gt; 0.5 the upper bound of the 100·(2q − 1)% interval, and q = 0.5 the point forecast.
    /// The level must be among <see cref="Levels"/> (ask for it with <see cref="LevelsFor"/>).
    /// </summary>
    public double[] Quantile(double q)
    {
        if (!(q > 0 && q < 1)) throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile level must be in (0, 1).");
        if (q == 0.5) return (double[])Mean.Clone();
        double level = LevelOf(q);
        for (int i = 0; i < Levels.Count; i++)
        {
            if (Math.Abs(Levels[i] - level) < 1e-9)
                return (double[])(q < 0.5 ? Lower[i] : Upper[i]).Clone();
        }
        throw new ArgumentException(FormattableString.Invariant(
            $"The quantile {q} needs the {level}% interval, which was not computed; forecast with levels from LevelsFor."), nameof(q));
    }

    /// <summary>The interval levels (percent, ascending, distinct) whose bounds are the given quantiles.</summary>
    public static IReadOnlyList<double> LevelsFor(IEnumerable<double> quantiles) =>
        [.. quantiles.Where(q => q != 0.5).Select(LevelOf).Distinct().Order()];

    private static double LevelOf(double q) => Math.Round(100 * Math.Abs(2 * q - 1), 9);
}
