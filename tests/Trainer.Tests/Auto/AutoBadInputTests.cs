using System.Globalization;
using System.Text;

namespace Forecast.Trainer.Tests.Auto;

/// <summary>
/// model: auto on the inputs that classical models refuse — a constant series, one shorter than two seasons, zeros
/// under a multiplicative model, gaps left as missing values — through the real Trainer: the run completes, every
/// forecast is finite, and selection.csv says which candidate could not take part in a series and why (R's own
/// errors: ets() needs positive data for multiplicative errors and enough points for a seasonal model;
/// auto.arima() fits around missing values, as the Kalman filter does).
/// </summary>
public class AutoBadInputTests
{
    private const int SeasonLength = 12, Horizon = 6;

    /// <summary>Monthly series of 60 points (20 for "short"); "gaps" misses four values, "zeros" has months at zero.</summary>
    private static string Data()
    {
        var random = new Random(7);
        var csv = new StringBuilder("unique_id,ds,y\n");
        void Series(string id, int length, Func<int, double?> value)
        {
            for (int t = 0; t < length; t++)
            {
                var date = new DateTime(2010, 1, 1).AddMonths(t);
                csv.Append(CultureInfo.InvariantCulture, $"{id},{date:yyyy-MM-dd},{(value(t) is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "")}\n");
            }
        }
        double Season(int t) => Math.Sin(2 * Math.PI * t / SeasonLength);
        Series("constant", 60, _ => 5);
        Series("short", 20, t => 10 + 3 * Season(t) + 0.1 * t);
        Series("zeros", 60, t => Math.Max(0, Math.Round(1 + 3 * Season(t) + random.NextDouble(), 2)));
        Series("gaps", 60, t => t is 20 or 21 or 22 or 40 ? null : Math.Round(50 + 10 * Season(t) + random.NextDouble(), 2));
        Series("steady", 60, t => Math.Round(100 + t + 10 * Season(t) + 2 * random.NextDouble(), 2));
        return csv.ToString();
    }

    [Fact]
    public async Task ConstantShortZeroAndGappySeriesGetFiniteForecastsAndSelectionCsvNamesEachCandidateThatCouldNotTakePart()
    {
        using var run = new TrainerRun();
        string data = run.Write("bad.csv", Data());
        var (code, output, errors) = await run.RunDefaultAsync(data,
            "model.name=auto", "model.auto.candidates=[seasonal_naive, ets, theta, arima]",
            "model.ets.model=MAM", "model.ets.on_error=fail", "cleaning.fill_missing=none", "cleaning.min_length=1",
            $"evaluation.horizon={Horizon}", $"evaluation.season_length={SeasonLength}", "evaluation.quantiles=[0.1, 0.5, 0.9]",
            "eda.enabled=false", "plots.enabled=false");

        code.Should().Be(0, errors + output);
        string folder = Path.Combine(run.Output, "runs", (await run.CommittedRunsAsync()).Single().RunId);

        // Every forecast, of the evaluation and beyond the data, is finite for every series.
        foreach (string file in new[] { "forecasts.csv", Path.Combine("evaluation", "forecasts.csv") })
        {
            var lines = await File.ReadAllLinesAsync(Path.Combine(folder, file));
            var header = lines[0].Split(',');
            var numeric = header.Select((h, i) => (h, i)).Where(x => x.h == "mean" || x.h.StartsWith('q')).Select(x => x.i).ToList();
            var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
            rows.Select(r => r[0]).Distinct().Should().BeEquivalentTo(["constant", "short", "zeros", "gaps", "steady"], file);
            rows.Should().OnlyContain(r => numeric.All(i => double.IsFinite(double.Parse(r[i], CultureInfo.InvariantCulture))), file);
            if (file == "forecasts.csv")
                rows.Where(r => r[0] == "constant").Should().OnlyContain(r => numeric.All(i => double.Parse(r[i], CultureInfo.InvariantCulture) == 5),
                    "a constant series is forecast as that constant, with no spread");
        }

        var selection = AutoForecasterTests.ReadSelection(await File.ReadAllBytesAsync(Path.Combine(folder, "model", "auto", "selection.csv")));
        selection.Should().HaveCount(2 * 5, "one row per series for the holdout call and for the forecast call");
        foreach (var row in selection)
        {
            string id = row["unique_id"], note = row["note"];
            var members = row["members"].Split(';').Select(m => m.Split('=')[0]).ToList();
            switch (id)
            {
                case "short":
                    row["windows"].Should().Be("0");
                    note.Should().Contain("too short for a backtest window");
                    break;
                case "zeros":
                    row["ets"].Should().BeEmpty("ets (M,A,M) cannot fit zeros");
                    note.Should().Contain("ets failed in the backtest").And.Contain("strictly positive");
                    members.Should().NotContain("ets");
                    break;
                case "gaps":
                    row["arima"].Should().NotBeEmpty("auto.arima fits around missing values");
                    foreach (string candidate in new[] { "seasonal_naive", "ets", "theta" })
                    {
                        row[candidate].Should().BeEmpty($"{candidate} cannot forecast from a window with missing values");
                        note.Should().Contain($"{candidate} failed in the backtest");
                    }
                    members.Should().Equal(["arima"], "an ensemble of a series holds only the candidates that forecast its backtest");
                    break;
                default:
                    note.Should().BeEmpty(id);
                    break;
            }
        }
    }
}
