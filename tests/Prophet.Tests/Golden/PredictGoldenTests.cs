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
    /// After the default (exact) fit, every deterministic column is within 1e-3·y_scale of R's — except where rstan
    /// stopped short of the mode: there our log posterior is higher than rstan's by more than 0.1 (peyton_default,
    /// peyton_holidays_regressor, retail_default, air_passengers_multiplicative, yosemite_subdaily: 0.36 to 26), R's
    /// parameters are not the MAP and the exact fit cannot be within 1e-3 of them; the columns still agree to
    /// 2e-2·y_scale. <see cref="ProphetFitMode.RCompatible"/> stops where rstan stops and meets 1e-3·y_scale on every
    /// case (<see cref="RCompatibleGoldenTests"/>).
    /// </summary>
    [Theory]
    [MemberData(nameof(GoldenCase.All), MemberType = typeof(GoldenCase))]
    public void Predict_after_our_fit_matches_R_where_rstan_reached_the_mode(string name)
    {
        var golden = GoldenCase.Load(name);
        var model = golden.CreateModel();
        model.Fit(golden.Input);
        var future = golden.ReadFutureFrame(out var expected);
        var gain = -model.Optimization!.Value - golden.LogPosteriorValue;
        output.WriteLine($"log posterior: ours {-model.Optimization.Value:R}, rstan {golden.LogPosteriorValue:R}, gain {gain:E3}");

        var forecast = model.Predict(future);

        var rstanStoppedShort = gain > 0.1;
        var worst = CompareDeterministicColumns(forecast, expected, (rstanStoppedShort ? 2e-2 : 1e-3) * golden.YScale, output);
        output.WriteLine($"{name}: max |diff| / y_scale = {worst / golden.YScale:E2}");
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
