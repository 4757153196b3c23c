using System.Globalization;
using System.Text;
using Forecast.Core.Series;

namespace Forecast.Core.Evaluation;

/// <summary>
/// Cuts series into evaluation windows. Holdout: the last <c>horizon</c> points. Backtest (rolling origin, as
/// GluonTS' <c>split(...).generate_instances(prediction_length, windows, distance)</c>): window w of W has its cutoff
/// at n - horizon - (W-1-w)·step, so the last window ends with the series.
/// </summary>
public static class EvaluationSplitter
{
    public static IReadOnlyList<EvaluationWindow> Split(IReadOnlyList<TimeSeries> series, EvaluationOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        int horizon = options.Horizon, windows = options.EffectiveWindows, step = options.EffectiveStep;
        if (horizon < 1) throw new ArgumentOutOfRangeException(nameof(options), horizon, "evaluation.horizon must be at least 1.");
        if (windows < 1) throw new ArgumentOutOfRangeException(nameof(options), windows, "evaluation.windows must be at least 1.");
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(options), step, "evaluation.step must be at least 1.");

        // The earliest window needs at least one point of history before its cutoff.
        int required = horizon + (windows - 1) * step + 1;
        var tooShort = series.Where(s => s.Length < required).ToList();
        if (tooShort.Count > 0) throw TooShort(tooShort, required, options);

        var result = new EvaluationWindow[windows];
        for (int w = 0; w < windows; w++)
        {
            var histories = new TimeSeries[series.Count];
            var actuals = new double[series.Count][];
            var future = new Dictionary<string, IReadOnlyDictionary<string, double[]>>(StringComparer.Ordinal);
            for (int i = 0; i < series.Count; i++)
            {
                int cutoff = series[i].Length - horizon - (windows - 1 - w) * step;
                histories[i] = series[i].Head(cutoff);
                actuals[i] = series[i].Values[cutoff..(cutoff + horizon)];
                if (series[i].Covariates.Count > 0)
                    future[series[i].Id] = series[i].Covariates.ToDictionary(c => c.Key, c => c.Value[cutoff..(cutoff + horizon)], StringComparer.Ordinal);
            }
            result[w] = new EvaluationWindow(w, histories, actuals, future.Count > 0 ? future : null);
        }
        return result;
    }

    private static SeriesTooShortException TooShort(List<TimeSeries> tooShort, int required, EvaluationOptions options)
    {
        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture, $"evaluation.horizon = {options.Horizon}");
        if (options.EffectiveWindows > 1)
            message.Append(CultureInfo.InvariantCulture, $" with evaluation.windows = {options.EffectiveWindows} and evaluation.step = {options.EffectiveStep}");
        message.Append(CultureInfo.InvariantCulture, $" needs series of at least {required} points, but {tooShort.Count} series {(tooShort.Count == 1 ? "is" : "are")} shorter: ");
        message.AppendJoin(", ", tooShort.Take(10).Select(s => $"'{s.Id}' ({s.Length} points)"));
        if (tooShort.Count > 10) message.Append(CultureInfo.InvariantCulture, $" and {tooShort.Count - 10} more");
        message.Append(". Lower evaluation.horizon (or windows/step), or raise cleaning.min_length so that short series are dropped.");
        return new SeriesTooShortException(message.ToString(), [.. tooShort.Select(s => s.Id)]);
    }
}
