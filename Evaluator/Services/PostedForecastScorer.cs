using System.Globalization;
using Forecast.Core.Evaluation;
using Forecast.Core.Models;
using Forecast.Core.Series;
using Forecast.Evaluator.Model;

namespace Forecast.Evaluator.Services;

/// <summary>
/// Scores posted forecasts with the Trainer's own <see cref="MetricsCalculator"/> (one evaluation window), so a number
/// from this endpoint equals the number a run would write for the same forecasts. Validation collects every problem,
/// keyed by the JSON path of the field (series[2].mean), for a problem-details response.
/// </summary>
public static class PostedForecastScorer
{
    public const int MaxSeries = 10_000;

    public static Dictionary<string, string[]> Validate(ScoreRequest request)
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message) { if (!errors.TryGetValue(field, out var list)) errors[field] = list = []; list.Add(message); }

        if (request.Series is not { Count: > 0 }) Add("series", "Post at least one series with actuals and mean.");
        else if (request.Series.Count > MaxSeries) Add("series", $"At most {MaxSeries} series per request; split the request.");
        if (request.SeasonLength is < 1) Add("seasonLength", "The season length must be at least 1 (12 for monthly data, 24 for hourly).");
        foreach (string metric in request.Metrics ?? [])
            if (!MetricNames.All.Contains(metric)) Add("metrics", $"Unknown metric '{metric}'; known metrics: {string.Join(", ", MetricNames.All)}.");

        string[]? levels = null;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < (request.Series?.Count ?? 0); i++)
        {
            var s = request.Series![i];
            string at = $"series[{i}]";
            if (string.IsNullOrEmpty(s.Id)) Add($"{at}.id", "Every series needs an id.");
            else if (!ids.Add(s.Id)) Add($"{at}.id", $"The id '{s.Id}' is used twice; ids must be unique.");
            if (s.Actuals is not { Length: > 0 }) Add($"{at}.actuals", "Post the actual values of the forecast horizon.");
            if (s.Mean is null) Add($"{at}.mean", "Post the point forecast.");
            else if (s.Actuals is not null && s.Mean.Length != s.Actuals.Length)
                Add($"{at}.mean", $"The point forecast has {s.Mean.Length} values, the actuals {s.Actuals.Length}; they must match.");
            var keys = (s.Quantiles ?? new Dictionary<string, double[]>()).Keys.Order(StringComparer.Ordinal).ToArray();
            foreach (var (level, values) in s.Quantiles ?? new Dictionary<string, double[]>())
            {
                if (!double.TryParse(level, NumberStyles.Float, CultureInfo.InvariantCulture, out double q) || q is <= 0 or >= 1)
                    Add($"{at}.quantiles", $"'{level}' is not a quantile level; use keys such as \"0.1\" ... \"0.9\" strictly between 0 and 1.");
                else if (s.Actuals is not null && values.Length != s.Actuals.Length)
                    Add($"{at}.quantiles[{level}]", $"Has {values.Length} values, the actuals {s.Actuals.Length}; they must match.");
            }
            if (levels is null) levels = keys;
            else if (!levels.SequenceEqual(keys)) Add($"{at}.quantiles", $"Quantile levels differ from series[0] ({string.Join(", ", levels)}); post the same levels for every series.");
        }
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    /// <summary>Scores a request that <see cref="Validate"/> accepted.</summary>
    public static ScoreResponse Score(ScoreRequest request)
    {
        var series = request.Series!;
        var levelKeys = (series[0].Quantiles ?? new Dictionary<string, double[]>()).Keys
            .OrderBy(k => double.Parse(k, CultureInfo.InvariantCulture)).ToArray();
        double[] levels = [.. levelKeys.Select(k => double.Parse(k, CultureInfo.InvariantCulture))];
        var histories = new TimeSeries[series.Count];
        var actuals = new double[series.Count][];
        var forecasts = new SeriesForecast[series.Count];
        for (int i = 0; i < series.Count; i++)
        {
            var s = series[i];
            double[] history = s.History ?? [];
            // Timestamps do not enter any metric; consecutive days stand in for them.
            histories[i] = new TimeSeries(s.Id!, [.. Enumerable.Range(0, history.Length).Select(d => DateTime.UnixEpoch.AddDays(d))], history);
            actuals[i] = s.Actuals!;
            double[][] quantiles = [.. levelKeys.Select(k => s.Quantiles![k])];
            forecasts[i] = new SeriesForecast(s.Id!, [.. Enumerable.Range(0, s.Mean!.Length).Select(d => DateTime.UnixEpoch.AddDays(history.Length + d))], s.Mean, levels, quantiles);
        }
        // Coverage needs quantile pairs and WQL quantiles; without them only point metrics are asked for by default.
        IReadOnlyList<string> metrics = request.Metrics is { Count: > 0 } asked ? asked
            : levels.Length > 0 ? MetricNames.All : [.. MetricNames.All.Where(m => m is not (MetricNames.Wql or MetricNames.Coverage))];
        var window = new EvaluationWindow(0, histories, actuals);
        int seasonLength = request.SeasonLength ?? 1;
        var score = MetricsCalculator.Score("posted", "posted", [window], [forecasts], _ => seasonLength, metrics);
        return new ScoreResponse(series.Count, score.Dataset.Metrics,
            [.. score.PerSeries.Select(s => new SeriesMetrics(s.SeriesId, s.Metrics, new Dictionary<string, double>(), new Dictionary<string, double>()))]);
    }
}
