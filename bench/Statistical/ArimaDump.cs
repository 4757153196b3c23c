using System.Globalization;
using Forecast.Statistical.Arima;
using Forecast.Statistical.Tests.Golden;

namespace Forecast.Statistical.Bench;

/// <summary>
/// Writes every AutoArima fit of the series that have R arima goldens, to the bit, so that a speed change can be shown
/// to change no fit (diff the files of two commits): each series on its holdout window; in datasets of at most 24
/// series with seasons of at most 12, also shortened by 1, 3, 7, 13 and 21 points. Per fit: form, coefficients, σ²,
/// log-likelihood, AICc and the point forecasts, as round-trip doubles.
/// </summary>
internal static class ArimaDump
{
    public static void Run(string goldens, string dataRoot, IReadOnlyList<string> datasets, string output)
    {
        var lines = new List<string>();
        foreach (string name in datasets)
        {
            if (!File.Exists(Path.Combine(goldens, "r-forecast", name, "arima_models.csv"))) continue;
            var data = RGolden.LoadDataset(goldens, name, Path.Combine(dataRoot, name, "data.csv"));
            var fits = RGolden.LoadFits(goldens, name, "arima");
            int[] drops = data.Series.Count <= 24 && data.SeasonLength <= 12 ? [0, 1, 3, 7, 13, 21] : [0];
            var work = data.Series.Where(s => fits.ContainsKey(s.Id))
                .SelectMany(s => drops.Select(drop => (Series: s, Drop: drop)))
                .Where(w => w.Series.Context(data.MaxContext).Length - w.Drop >= 4).ToList();
            var results = new string[work.Count];
            Parallel.For(0, work.Count, i =>
            {
                var (series, drop) = work[i];
                var y = series.Context(data.MaxContext)[..^drop];
                string label = FormattableString.Invariant($"{name},{series.Id},-{drop}: ");
                try
                {
                    var fit = new AutoArima().Fit(y, data.SeasonLength);
                    string coefficients = string.Join(' ', fit.Coefficients.Select(c => FormattableString.Invariant($"{c.Key}={c.Value:R}")));
                    string mean = string.Join(' ', fit.Forecast(data.Horizon).Mean.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
                    results[i] = label + FormattableString.Invariant(
                        $"{fit.Description} | {coefficients} | sigma2={fit.Sigma2:R} loglik={fit.LogLikelihood:R} aicc={fit.Aicc:R} | {mean}");
                }
                catch (Exception e) when (e is ArgumentException or ModelFitException or NotSupportedException)
                {
                    results[i] = label + $"{e.GetType().Name}: {e.Message}";
                }
            });
            lines.AddRange(results);
        }
        File.WriteAllLines(output, lines);
        Console.WriteLine($"{lines.Count} ARIMA fits written to {output}");
    }
}
