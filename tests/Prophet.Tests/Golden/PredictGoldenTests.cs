using Xunit.Abstractions;

namespace Forecast.Prophet.Tests.Golden;

/// <summary>Priority 4: deterministic predict columns against R's forecast.csv.</summary>
public sealed class PredictGoldenTests(ITestOutputHelper output)
{
    private static readonly string[] NonComponentColumns = ["ds", "cap", "floor", "yhat_lower", "yhat_upper", "trend_lower", "trend_upper"];

    [Theory]
    [MemberData(nameof(GoldenCase.All), MemberType = typeof(GoldenCase))]
    public void Predict_at_R_parameters_reproduces_every_deterministic_column(string name)
    {
        var golden = GoldenCase.Load(name);
        var model = golden.CreateModel();
        model.Fit(golden.Input);
        model.OverrideParameters(golden.ReadParams());
        var future = golden.ReadFutureFrame(out var expected);

        var forecast = model.Predict(future);

        var checkedColumns = CompareColumns(forecast, expected, 1e-9 * golden.YScale, output).Columns;
        checkedColumns.Should().Contain(["trend", "additive_terms", "multiplicative_terms", "yhat"]);
    }

    /// <summary>
    /// After the default (exact) fit, yhat over the history is within 1e-3·y_scale of R's where rstan reached the same
    /// optimum (our log posterior at most 0.01 above rstan's), and within 5e-2·y_scale where rstan stopped short of it
    /// (0.04 to 31.5 below ours on the golden cases: R's parameters are not the MAP, so the exact fit cannot be within
    /// 1e-3 of them). Only yhat over the history is identified: the split into trend and components is loose where
    /// features are nearly collinear (yearly seasonality on yearly data, a multiplicative seasonality next to the trend),
    /// and beyond the history the trend is an extrapolation that a flat posterior leaves loose. At R's parameters every
    /// column matches (<see cref="Predict_at_R_parameters_reproduces_every_deterministic_column"/>), and
    /// <see cref="ProphetFitMode.RCompatible"/> stops where rstan stops and meets 1e-3·y_scale on every column and row
    /// (<see cref="RCompatibleGoldenTests"/>).
    /// </summary>
    [Theory]
    [MemberData(nameof(GoldenCase.All), MemberType = typeof(GoldenCase))]
    public void Yhat_after_our_fit_matches_R_over_the_history(string name)
    {
        var golden = GoldenCase.Load(name);
        var model = golden.CreateModel();
        model.Fit(golden.Input);
        var future = golden.ReadFutureFrame(out var expected);
        var gain = model.Optimization!.LogPosterior - golden.LogPosteriorValue;
        var end = model.HistoryDates[^1];
        var history = Enumerable.Range(0, future.RowCount).Where(i => future.Ds[i] <= end).ToArray();

        var forecast = model.Predict(future.Select(history));

        var worst = history.Select((row, i) => Math.Abs(forecast.Yhat[i] - expected["yhat"][row])).Max() / golden.YScale;
        output.WriteLine($"{name}: log posterior ours {model.Optimization.LogPosterior:R}, rstan {golden.LogPosteriorValue:R}, gain {gain:E3}; max |yhat diff| / y_scale over {history.Length} history rows {worst:E2}");
        worst.Should().BeLessThanOrEqualTo(gain <= 0.01 ? 1e-3 : 5e-2);
    }

    /// <summary>Asserts every deterministic column of R's forecast within <paramref name="tolerance"/>; returns the largest |difference|.</summary>
    internal static double CompareDeterministicColumns(ProphetForecast forecast, Dictionary<string, double[]> expected, double tolerance, ITestOutputHelper output) =>
        CompareColumns(forecast, expected, tolerance, output).Worst;

    private static (List<string> Columns, double Worst) CompareColumns(ProphetForecast forecast, Dictionary<string, double[]> expected, double tolerance, ITestOutputHelper output)
    {
        var compared = new List<string>();
        var overall = 0.0;
        forecast.RowCount.Should().Be(expected["yhat"].Length);
        foreach (var (column, values) in expected)
        {
            if (NonComponentColumns.Contains(column) || column.EndsWith("_lower", StringComparison.Ordinal) || column.EndsWith("_upper", StringComparison.Ordinal))
            {
                continue;
            }

            forecast.HasColumn(column).Should().BeTrue($"R's forecast has a column '{column}'");
            var ours = forecast[column];
            var worst = 0.0;
            var worstRow = -1;
            for (var i = 0; i < values.Length; i++)
            {
                var diff = Math.Abs(ours[i] - values[i]);
                if (diff > worst)
                {
                    worst = diff;
                    worstRow = i;
                }
            }

            output.WriteLine($"{column}: max |diff| {worst:E3} at row {worstRow} (tolerance {tolerance:E3})");
            worst.Should().BeLessThanOrEqualTo(tolerance, $"column '{column}' row {worstRow} ({forecast.Ds[Math.Max(worstRow, 0)]:yyyy-MM-dd HH:mm})");
            compared.Add(column);
            overall = Math.Max(overall, worst);
        }

        return (compared, overall);
    }
}
