using System.Globalization;
using System.Text;
using Forecast.Statistical.Ets;
using Forecast.Statistical.Tests.Golden;

namespace Forecast.Statistical.Bench;

/// <summary>
/// Writes every AutoEts fit of the shared datasets, to the bit, so that a speed change can be shown to change no fit
/// (diff the files of two commits): each series on its holdout window; the series of datasets with at most 24 series
/// also shortened by 1, 3, 7, 13 and 21 points and fitted with multiplicative trends allowed and with
/// Damped = false, Restrict = false. Per fit: form, parameters, initial states, log-likelihood, AICc, σ², point
/// forecasts and 80/95% bounds, as round-trip doubles.
/// </summary>
internal static class Dump
{
    public static void Run(string goldens, string dataRoot, IReadOnlyList<string> datasets, string output)
    {
        using var writer = new StreamWriter(output);
        int fits = 0;
        foreach (string name in datasets)
        {
            var data = RGolden.LoadDataset(goldens, name, Path.Combine(dataRoot, name, "data.csv"));
            bool small = data.Series.Count <= 24;
            var variants = new List<(string Label, AutoEts Model)> { ("default", new AutoEts()) };
            if (small)
            {
                variants.Add(("multiplicative-trend", new AutoEts { AllowMultiplicativeTrend = true }));
                variants.Add(("undamped-unrestricted", new AutoEts { Damped = false, Restrict = false }));
            }
            int[] drops = small ? [0, 1, 3, 7, 13, 21] : [0];
            foreach (var series in data.Series)
            {
                var context = series.Context(data.MaxContext);
                foreach (int drop in drops)
                {
                    if (context.Length - drop < 4) continue;
                    var y = context[..^drop];
                    foreach (var (label, model) in variants)
                    {
                        writer.Write(FormattableString.Invariant($"{name},{series.Id},-{drop},{label}: "));
                        try
                        {
                            var fit = model.Fit(y, data.SeasonLength);
                            writer.WriteLine(Describe(fit, data.Horizon));
                        }
                        catch (Exception ex) when (ex is ModelFitException or UnsuitableSeriesException or ArgumentException)
                        {
                            writer.WriteLine($"{ex.GetType().Name}: {ex.Message}");
                        }
                        fits++;
                    }
                }
            }
        }
        Console.WriteLine($"{fits} ETS fits written to {output}");
    }

    private static string Describe(EtsModel fit, int horizon)
    {
        var text = new StringBuilder(fit.Description);
        var p = fit.Parameters;
        text.Append(Invariant($" alpha={p.Alpha:R} beta={p.Beta:R} gamma={p.Gamma:R} phi={p.Phi:R}"));
        text.Append(" init=").AppendJoin(' ', fit.InitialStates.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        text.Append(Invariant($" loglik={fit.LogLikelihood:R} aic={fit.Aic:R} aicc={fit.Aicc:R} sigma2={fit.Sigma2:R}"));
        var forecast = fit.Forecast(horizon, [80, 95]);
        text.Append(" mean=").AppendJoin(' ', forecast.Mean.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        for (int i = 0; i < forecast.Levels.Count; i++)
        {
            text.Append(" lo=").AppendJoin(' ', forecast.Lower[i].Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
            text.Append(" hi=").AppendJoin(' ', forecast.Upper[i].Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        }
        return text.ToString();
    }

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
