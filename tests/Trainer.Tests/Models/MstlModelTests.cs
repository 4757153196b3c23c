using System.Globalization;
using System.Text;
using Forecast.Core.Series;
using Forecast.Trainer.Models;
using Forecast.Trainer.Tests.Auto;

namespace Forecast.Trainer.Tests.Models;

/// <summary>
/// <c>model: mstl</c> and the <c>mstl</c> candidate of <c>model: auto</c> through the real Trainer, on hourly series with
/// a daily and a weekly pattern: two long enough for both seasons, one (300 hours) too short for the weekly one.
/// </summary>
public class MstlModelTests
{
    private static string HourlyData(TrainerRun run)
    {
        var csv = new StringBuilder("unique_id,ds,y\n");
        var start = new DateTime(2024, 1, 1);
        foreach (var (id, length, level) in new[] { ("long_a", 800, 100.0), ("long_b", 760, 50.0), ("short", 300, 80.0) })
        {
            for (int t = 0; t < length; t++)
            {
                // Daily cycle, lower weekends, and a deterministic wobble so the fits are not degenerate.
                double weekend = (t / 24 % 7) >= 5 ? -0.2 * level : 0;
                double y = level + 0.1 * level * Math.Sin(2 * Math.PI * t / 24) + weekend + 0.02 * level * Math.Sin(1.7 * t + id.Length);
                csv.Append(id).Append(',').Append(start.AddHours(t).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(',')
                    .Append(y.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }
        }
        return run.Write("hourly.csv", csv.ToString());
    }

    private static readonly string[] Quick = ["evaluation.horizon=24", "eda.enabled=false", "plots.enabled=false"];

    [Fact]
    public async Task HourlySeriesAreDecomposedByADayAndAWeekAndTooShortOnesFallBackSayingWhy()
    {
        using var run = new TrainerRun();
        var (code, output, errors) = await run.RunDefaultAsync(HourlyData(run), [.. Quick, "model.name=mstl"]);

        code.Should().Be(0, errors + output);
        string folder = Path.Combine(run.Output, "runs", (await run.CommittedRunsAsync()).Single().RunId);
        var models = (await File.ReadAllLinesAsync(Path.Combine(folder, "model", "mstl", "models.csv"))).Skip(1).ToList();
        models.Should().HaveCount(3);
        models.Where(l => l.StartsWith("long_", StringComparison.Ordinal)).Should().HaveCount(2)
            .And.OnlyContain(l => l.Contains(",\"MSTL(24,168) + ETS(", StringComparison.Ordinal) && l.Contains(",ok,", StringComparison.Ordinal));
        models.Single(l => l.StartsWith("short,", StringComparison.Ordinal)).Should().Contain("seasonal_naive,").And.Contain("fallback: ").And.Contain("24, 168");
    }

    [Fact]
    public async Task AutoOffersMstlOnlyToSeriesWithTwoFullWeeksAndNotesNothingForTheOthers()
    {
        using var run = new TrainerRun();
        var (code, output, errors) = await run.RunDefaultAsync(HourlyData(run),
            [.. Quick, "model.name=auto", "model.auto.candidates=[seasonal_naive, mstl]", "model.auto.ensembles=[]"]);

        code.Should().Be(0, errors + output);
        string folder = Path.Combine(run.Output, "runs", (await run.CommittedRunsAsync()).Single().RunId);
        var rows = AutoForecasterTests.ReadSelection(await File.ReadAllBytesAsync(Path.Combine(folder, "model", "auto", "selection.csv")));
        rows.Should().HaveCount(6, "one row per series for the holdout call and for the forecast call");
        rows.Where(r => r["unique_id"] != "short").Should().OnlyContain(r => r["mstl"].Length > 0 && r["seasonal_naive"].Length > 0);
        rows.Where(r => r["unique_id"] == "short").Should().OnlyContain(r => r["mstl"].Length == 0 && r["choice"] == "seasonal_naive" && r["note"].Length == 0);
    }

    [Theory]
    [InlineData("[24, 1.5]", "whole number")]
    [InlineData("[]", "lists no season length")]
    public async Task BadSeasonLengthsAreConfigErrorsNamingTheKey(string value, string message)
    {
        using var run = new TrainerRun();
        var (code, output, errors) = await run.RunDefaultAsync(null, "model.name=mstl", $"model.mstl.season_lengths={value}");

        code.Should().Be(2);
        (errors + output).Should().Contain("model.mstl.season_lengths").And.Contain(message);
        (await run.CommittedRunsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task MoreRequiredSeasonLengthsThanGivenIsAConfigErrorNamingTheKey()
    {
        using var run = new TrainerRun();
        var (code, output, errors) = await run.RunDefaultAsync(null, "model.name=mstl", "model.mstl.season_lengths=[24]", "model.mstl.min_season_lengths=2");

        code.Should().Be(2);
        (errors + output).Should().Contain("model.mstl.min_season_lengths").And.Contain("lists 1 period");
        (await run.CommittedRunsAsync()).Should().BeEmpty();
    }

    [Fact]
    public void DefaultSeasonLengthsAreADayAndAWeekOfSubDailyDataAndAWeekAndAYearOfDailyData()
    {
        MstlModelFactory.DefaultSeasonLengths(Frequency.Hourly).Should().Equal(24, 168);
        MstlModelFactory.DefaultSeasonLengths(Frequency.Minutes(30)).Should().Equal(48, 336);
        MstlModelFactory.DefaultSeasonLengths(Frequency.Daily).Should().Equal(7, 365);
        MstlModelFactory.DefaultSeasonLengths(Frequency.MonthlyStart).Should().Equal(12);
    }
}
