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

        var checkedColumns = CompareDeterministicColumns(forecast, expected, 1e-9 * golden.YScale);
        checkedColumns.Should().Contain(["trend", "additive_terms", "multiplicative_terms", "yhat"]);
    }

    /// <summary>
    /// After our own fit, every deterministic column is within 1e-3·y_scale of R's — except where rstan stopped
    /// short of the mode: there our log posterior is higher than rstan's by more than 0.1 (so R's parameters are
    /// not the MAP and cannot be matched to 1e-3) and the columns still agree to 2e-2·y_scale.
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
        CompareDeterministicColumns(forecast, expected, (rstanStoppedShort ? 2e-2 : 1e-3) * golden.YScale);
    }

    /// <summary>Running Stan's L-BFGS alone (ExactMode off) shows the same spread: rstan's stopping point is not reproducible.</summary>
    [Theory]
    [InlineData("peyton_default")]
    [InlineData("retail_flat")]
    [InlineData("retail_no_changepoints")]
    [InlineData("wp_R_logistic")]
    [InlineData("air_passengers_small_newton")]
    public void Stan_only_fit_matches_R_within_1e_3_y_scale_on_well_conditioned_cases(string name)
    {
        var golden = GoldenCase.Load(name);
        var model = golden.CreateModel();
        model.Fit(golden.Input, new ProphetFitOptions { ExactMode = false });
        var future = golden.ReadFutureFrame(out var expected);

        var forecast = model.Predict(future);

        CompareDeterministicColumns(forecast, expected, 1e-3 * golden.YScale);
    }

    private List<string> CompareDeterministicColumns(ProphetForecast forecast, Dictionary<string, double[]> expected, double tolerance)
    {
        var compared = new List<string>();
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
        }

        return compared;
    }
}
