using System.Globalization;
using System.Text;
using Forecast.Core.Models;
using Forecast.Core.Series;
using Forecast.Trainer.Auto;

namespace Forecast.Trainer.Tests.Auto;

/// <summary>
/// model: auto's choice per series from the backtest (windows cut from the history given), its record in
/// selection.csv, the fallbacks when a candidate fails or a series is too short, and that each history is fitted once.
/// </summary>
public class AutoForecasterTests
{
    private const int Horizon = 6;
    private static readonly ForecastRequest Request = new(Horizon, [0.1, 0.5, 0.9]);

    private static TimeSeries Series(string id, int length, int seed)
    {
        var random = new Random(seed);
        var start = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        return new TimeSeries(id,
            [.. Enumerable.Range(0, length).Select(t => start.AddMonths(t))],
            [.. Enumerable.Range(0, length).Select(t => 100 + 10 * Math.Sin(2 * Math.PI * t / 12) + 0.3 * t + random.NextDouble() * 4)])
        {
            Frequency = Frequency.MonthlyStart,
        };
    }

    private static AutoSettings Settings(IReadOnlyList<string> candidates, SelectionScope selection = SelectionScope.PerSeries, SelectionMetric metric = SelectionMetric.Mase) =>
        new(candidates, metric, Windows: 2, Step: null, AutoSettings.DefaultEnsembles, TopK: 3, EnsembleSize: 50, selection, SeasonLength: 12, MinHistory: null,
            Shrinkage: 0, Quantiles: QuantileChoice.WithPoint, Calibration: QuantileCalibration.None);

    /// <summary>selection.csv as header → value per row.</summary>
    internal static List<Dictionary<string, string>> ReadSelection(byte[] csv)
    {
        var lines = Encoding.UTF8.GetString(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = Fields(lines[0]);
        return [.. lines.Skip(1).Select(line => header.Zip(Fields(line)).ToDictionary(p => p.First, p => p.Second))];
    }

    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }

    private static byte[] State(AutoForecaster auto, string name) => auto.ExportState().Single(f => f.Name == $"auto/{name}").Content;

    private static double Score(Dictionary<string, string> row, string option) =>
        row[option].Length == 0 ? double.NaN : double.Parse(row[option], CultureInfo.InvariantCulture);

    [Fact]
    public async Task EachSeriesTakesTheOptionWithItsLowestBacktestScoreAndSelectionCsvRecordsEveryScore()
    {
        var series = new[] { Series("a", 60, 1), Series("b", 72, 2), Series("c", 48, 3) };
        var oracle = new ScriptedForecaster("oracle", ScriptedForecaster.Oracle(series));
        var flat = new ScriptedForecaster("flat", ScriptedForecaster.Flat);
        var auto = new AutoForecaster(Settings(["flat", "oracle"]), [flat, oracle]);

        var forecasts = await auto.ForecastAsync(series, Request);

        var rows = ReadSelection(State(auto, "selection.csv"));
        rows.Select(r => r["unique_id"]).Should().Equal("a", "b", "c");
        rows[0].Keys.Should().Equal("unique_id", "cutoff", "windows", "metric", "choice", "members", "flat", "oracle",
            "ensemble_mean", "ensemble_median", "ensemble_greedy", "note");
        foreach (var row in rows)
        {
            row["windows"].Should().Be("2");
            row["metric"].Should().Be("mase");
            Score(row, "oracle").Should().Be(0, "the oracle forecasts every backtest window exactly");
            Score(row, "flat").Should().BePositive();
            row["choice"].Should().Be("oracle");
            row["members"].Should().Be("oracle");
        }
        rows.Select(r => r["cutoff"]).Should().Equal([.. series.Select(s => s.Timestamps[^1].ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))]);
        for (int i = 0; i < series.Length; i++)
            forecasts[i].Mean.Should().Equal(Enumerable.Repeat(series[i].Values[^1], Horizon), "the oracle's forecast beyond the data");
    }

    [Fact]
    public async Task WithoutRefitTheLaterBacktestWindowsGoToTheFilteringModelAndTimingCsvRecordsEveryStage()
    {
        var series = new[] { Series("a", 60, 1), Series("b", 72, 2) };
        var fitted = new ScriptedForecaster("flat", ScriptedForecaster.Flat);
        var filtering = new ScriptedForecaster("flat", ScriptedForecaster.Flat);
        var auto = new AutoForecaster(Settings(["flat"]) with { Windows = 3, Ensembles = [], Refit = false }, [fitted], [filtering]);

        await auto.ForecastAsync(series, Request);

        // Windows: cutoffs n - 18, n - 12, n - 6; the final fit on the whole history.
        fitted.Seen.Select(h => (h.Id, h.Length)).Should().BeEquivalentTo([("a", 42), ("b", 54), ("a", 60), ("b", 72)]);
        filtering.Seen.Select(h => (h.Id, h.Length)).Should().BeEquivalentTo([("a", 48), ("b", 60), ("a", 54), ("b", 66)]);

        var timing = ReadSelection(State(auto, "timing.csv"));
        timing[0].Keys.Should().Equal("call", "stage", "candidate", "series", "computed", "wall_seconds", "cpu_seconds");
        timing.Select(r => (r["call"], r["stage"], r["candidate"], r["series"], r["computed"])).Should().Equal(
            ("1", "backtest_1", "flat", "2", "2"), ("1", "backtest_2", "flat", "2", "2"), ("1", "backtest_3", "flat", "2", "2"),
            ("1", "selection", "", "2", "0"), ("1", "final", "flat", "2", "2"));
        timing.Should().OnlyContain(r => double.Parse(r["wall_seconds"], CultureInfo.InvariantCulture) >= 0 && double.Parse(r["cpu_seconds"], CultureInfo.InvariantCulture) >= 0);
    }

    [Fact]
    public async Task TheMaseOfACandidateIsItsMeanAbsoluteScaledErrorOverTheBacktestWindows()
    {
        var series = new[] { Series("a", 60, 4) };
        var flat = new ScriptedForecaster("flat", ScriptedForecaster.Flat);
        var auto = new AutoForecaster(Settings(["flat"]) with { Ensembles = [] }, [flat]);

        await auto.ForecastAsync(series, Request);

        // Windows: cutoffs at 60 - 6 - 6 = 48 and 54; MASE scale = mean |x_t - x_{t-12}| of each window's history.
        var values = series[0].Values;
        double expected = new[] { 48, 54 }.Select(cutoff =>
        {
            double scale = Enumerable.Range(12, cutoff - 12).Average(t => Math.Abs(values[t] - values[t - 12]));
            return Enumerable.Range(cutoff, Horizon).Average(t => Math.Abs(values[t] - values[cutoff - 1])) / scale;
        }).Average();
        var row = ReadSelection(State(auto, "selection.csv")).Single();
        Score(row, "flat").Should().BeApproximately(expected, 1e-12);
        flat.Seen.Select(h => h.Length).Should().Equal(48, 54, 60);
    }

    [Fact]
    public async Task WithQuantilesWqlThePointComesFromTheMaseChoiceAndTheQuantilesFromTheWqlChoice()
    {
        var series = new[] { Series("a", 60, 11), Series("b", 72, 12) };
        // "wide" forecasts every window exactly but with absurdly wide quantiles; "flat" is worse in the mean but its
        // quantiles are far closer: MASE chooses wide, WQL flat.
        var wide = new ScriptedForecaster("wide", ScriptedForecaster.Oracle(series), spread: 1e4);
        var flat = new ScriptedForecaster("flat", ScriptedForecaster.Flat);
        var auto = new AutoForecaster(Settings(["flat", "wide"]) with { Ensembles = [], Quantiles = QuantileChoice.Wql }, [flat, wide]);

        var forecasts = await auto.ForecastAsync(series, Request);

        ReadSelection(State(auto, "selection.csv")).Select(r => (r["metric"], r["choice"])).Should().AllBeEquivalentTo(("mase", "wide"));
        var byWql = ReadSelection(State(auto, "quantile_selection.csv"));
        byWql.Select(r => (r["metric"], r["choice"])).Should().AllBeEquivalentTo(("wql", "flat"));
        byWql.Should().OnlyContain(r => Score(r, "flat") < Score(r, "wide"));
        var flatForecasts = await flat.ForecastAsync(series, Request);
        var wideForecasts = await wide.ForecastAsync(series, Request);
        for (int i = 0; i < series.Length; i++)
        {
            forecasts[i].Mean.Should().Equal(wideForecasts[i].Mean);
            forecasts[i].Quantiles.Should().BeEquivalentTo(flatForecasts[i].Quantiles, o => o.WithStrictOrdering());
        }
    }

    [Fact]
    public async Task WithCalibrationScaleTooWideQuantilesAreNarrowedByTheFactorTheBacktestChoseAndTheNoteSaysSo()
    {
        var series = new[] { Series("a", 60, 21), Series("b", 72, 22) };
        // The flat forecast misses by about the seasonal swing (±10), but its 10 % and 90 % quantiles sit ±40 away.
        var flat = new ScriptedForecaster("flat", ScriptedForecaster.Flat, spread: 100);
        var settings = Settings(["flat"]) with { Ensembles = [], Quantiles = QuantileChoice.Wql, Calibration = QuantileCalibration.Scale };
        var auto = new AutoForecaster(settings, [flat]);

        var forecasts = await auto.ForecastAsync(series, Request);

        var raw = await flat.ForecastAsync(series, Request);
        var rows = ReadSelection(State(auto, "quantile_selection.csv"));
        for (int i = 0; i < series.Length; i++)
        {
            var note = rows[i]["note"];
            note.Should().StartWith("quantiles of flat scaled by ");
            double factor = double.Parse(note["quantiles of flat scaled by ".Length..].Split(' ')[0], CultureInfo.InvariantCulture);
            factor.Should().BeInRange(IntervalScaling.Smallest, 0.5);
            double measured = (forecasts[i].Quantiles[2][0] - forecasts[i].Mean[0]) / (raw[i].Quantiles[2][0] - raw[i].Mean[0]);
            measured.Should().BeApproximately(factor, 5e-4);
            forecasts[i].Mean.Should().Equal(raw[i].Mean);
            for (int q = 0; q < Request.Quantiles.Count; q++)
                for (int h = 0; h < Horizon; h++)
                    forecasts[i].Quantiles[q][h].Should().BeApproximately(raw[i].Mean[h] + measured * (raw[i].Quantiles[q][h] - raw[i].Mean[h]), 1e-9);
        }

        var unscaled = await new AutoForecaster(settings with { Calibration = QuantileCalibration.None }, [flat]).ForecastAsync(series, Request);
        for (int i = 0; i < series.Length; i++) unscaled[i].Quantiles.Should().BeEquivalentTo(raw[i].Quantiles, o => o.WithStrictOrdering());
    }

    [Fact]
    public async Task GlobalSelectionGivesEverySeriesTheOptionBestOverAllSeries()
    {
        var series = new[] { Series("a", 60, 5), Series("b", 60, 6) };
        // "tilted" is exact on series a only; over both series the flat forecast is better.
        var tilted = new ScriptedForecaster("tilted", (h, horizon) => h.Id == "a" ? ScriptedForecaster.Oracle(series)(h, horizon) : [.. Enumerable.Repeat(1e6, horizon)]);
        var flat = new ScriptedForecaster("flat", ScriptedForecaster.Flat);
        var auto = new AutoForecaster(Settings(["flat", "tilted"], SelectionScope.Global) with { Ensembles = [] }, [flat, tilted]);

        await auto.ForecastAsync(series, Request);

        ReadSelection(State(auto, "selection.csv")).Select(r => r["choice"]).Should().Equal("flat", "flat");
    }

    [Fact]
    public async Task ACandidateThatFailsOnASeriesLosesOnlyThatSeries()
    {
        var series = new[] { Series("a", 60, 7), Series("b", 60, 8), Series("c", 60, 9) };
        var oracle = new ScriptedForecaster("oracle", ScriptedForecaster.Oracle(series), refuses: h => h.Id == "b");
        var flat = new ScriptedForecaster("flat", ScriptedForecaster.Flat);
        var auto = new AutoForecaster(Settings(["flat", "oracle"]), [flat, oracle]);

        var forecasts = await auto.ForecastAsync(series, Request);

        var rows = ReadSelection(State(auto, "selection.csv"));
        rows.Select(r => r["choice"]).Should().Equal("oracle", "flat", "oracle");
        rows[1]["oracle"].Should().BeEmpty("the candidate forecast no window of series b");
        rows[1]["ensemble_mean"].Should().BeEmpty("one candidate left is no ensemble");
        forecasts[1].Mean.Should().Equal(Enumerable.Repeat(series[1].Values[^1], Horizon));
    }

    [Fact]
    public async Task WhenTheChosenModelFailsOnTheWholeHistoryTheSeriesFallsBackToItsNextOption()
    {
        var series = new[] { Series("a", 60, 10), Series("b", 60, 11) };
        var oracle = new ScriptedForecaster("oracle", ScriptedForecaster.Oracle(series), refuses: h => h.Id == "a" && h.Length == 60);
        var flat = new ScriptedForecaster("flat", ScriptedForecaster.Flat);
        var auto = new AutoForecaster(Settings(["flat", "oracle"]) with { Ensembles = [] }, [flat, oracle]);

        var forecasts = await auto.ForecastAsync(series, Request);

        var rows = ReadSelection(State(auto, "selection.csv"));
        Score(rows[0], "oracle").Should().Be(0);
        rows[0]["choice"].Should().Be("flat");
        rows[0]["note"].Should().Contain("oracle not usable on the whole history").And.Contain("oracle cannot forecast 'a'");
        rows[1]["choice"].Should().Be("oracle");
        forecasts[0].Mean.Should().Equal(Enumerable.Repeat(series[0].Values[^1], Horizon));
    }

    [Fact]
    public async Task ASeriesTooShortForABacktestWindowTakesTheOptionBestOverTheOtherSeries()
    {
        // min_history defaults to two seasons (24): 28 points leave no cutoff (22, 16) with 24 points before it.
        var series = new[] { Series("long1", 60, 12), Series("short", 28, 13), Series("long2", 72, 14) };
        var oracle = new ScriptedForecaster("oracle", ScriptedForecaster.Oracle(series));
        var flat = new ScriptedForecaster("flat", ScriptedForecaster.Flat);
        var auto = new AutoForecaster(Settings(["flat", "oracle"]), [flat, oracle]);

        await auto.ForecastAsync(series, Request);

        var row = ReadSelection(State(auto, "selection.csv"))[1];
        row["windows"].Should().Be("0");
        row["flat"].Should().BeEmpty();
        row["choice"].Should().Be("oracle");
        row["note"].Should().Contain("too short for a backtest window");
        flat.Seen.Where(h => h.Id == "short").Select(h => h.Length).Should().BeEmpty("no backtest and not chosen");
    }

    [Fact]
    public async Task EachHistoryIsFittedOnceAcrossTheHoldoutAndTheFinalCall()
    {
        var whole = new[] { Series("a", 72, 15) };
        var holdout = new[] { whole[0].Head(72 - Horizon) };
        var flat = new ScriptedForecaster("flat", ScriptedForecaster.Flat);
        var auto = new AutoForecaster(Settings(["flat"]), [flat]);

        await auto.ForecastAsync(holdout, Request);
        await auto.ForecastAsync(whole, Request);

        // Holdout call: backtests at 54 and 60, final fit at 66; forecast call: backtests at 60 and 66 (known), final at 72.
        flat.Seen.Select(h => h.Length).Should().Equal(54, 60, 66, 72);
        ReadSelection(State(auto, "selection.csv")).Select(r => r["cutoff"]).Should().Equal("2005-06-01", "2005-12-01");
    }

    [Fact]
    public async Task ShrinkageTowardTheOptionsStandingOverAllSeriesOverridesANarrowOwnWin()
    {
        // Series s0..s4: "steady" forecasts 1 too high everywhere, "erratic" 10 too high, except on series s0 where it
        // is exact in the backtest windows only.
        var series = Enumerable.Range(0, 5).Select(i => Series($"s{i}", 60, 20 + i)).ToArray();
        var oracle = ScriptedForecaster.Oracle(series);
        var steady = new ScriptedForecaster("steady", (h, horizon) => [.. oracle(h, horizon).Select(v => v + 1)]);
        var erratic = new ScriptedForecaster("erratic", (h, horizon) => [.. oracle(h, horizon).Select(v => v + (h.Id == "s0" && h.Length < 60 ? 0.9 : 10))]);

        async Task<string> ChoiceFor(double shrinkage)
        {
            var auto = new AutoForecaster(Settings(["steady", "erratic"]) with { Ensembles = [], Windows = 1, Shrinkage = shrinkage }, [steady, erratic]);
            await auto.ForecastAsync(series, Request);
            return ReadSelection(State(auto, "selection.csv"))[0]["choice"];
        }

        // Relative log scores: on s0 erratic wins by log(1/0.9) ≈ 0.11; over all series it loses by ≈ log 10 / 2 each.
        (await ChoiceFor(0)).Should().Be("erratic", "its own backtest alone favours it");
        (await ChoiceFor(1)).Should().Be("steady", "one window of its own does not outweigh the standing over all series");
    }

    [Fact]
    public async Task CandidatesSeeAtMostMaxHistoryPointsButTheScaleUsesTheWholeHistory()
    {
        var series = new[] { Series("a", 60, 30) };
        var flat = new ScriptedForecaster("flat", ScriptedForecaster.Flat);
        var auto = new AutoForecaster(Settings(["flat"]) with { Ensembles = [], MaxHistory = 20 }, [flat]);

        await auto.ForecastAsync(series, Request);

        flat.Seen.Should().OnlyContain(h => h.Length == 20);
        flat.Seen.Select(h => h.Timestamps[^1]).Should().Equal(series[0].Timestamps[47], series[0].Timestamps[53], series[0].Timestamps[59]);
        var values = series[0].Values;
        double expected = new[] { 48, 54 }.Select(cutoff =>
            Enumerable.Range(cutoff, Horizon).Average(t => Math.Abs(values[t] - values[cutoff - 1])) /
            Enumerable.Range(12, cutoff - 12).Average(t => Math.Abs(values[t] - values[t - 12]))).Average();
        Score(ReadSelection(State(auto, "selection.csv")).Single(), "flat").Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public async Task WqlSelectionNeedsQuantileLevels()
    {
        var flat = new ScriptedForecaster("flat", ScriptedForecaster.Flat);
        var auto = new AutoForecaster(Settings(["flat"], metric: SelectionMetric.Wql), [flat]);

        var act = () => auto.ForecastAsync([Series("a", 60, 16)], new ForecastRequest(Horizon, []));

        (await act.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*model.auto.metric is wql*quantile*");
    }

    [Fact]
    public async Task EnsembleForecastsCombineTheMembersAndKeepQuantilesOrdered()
    {
        var series = new[] { Series("a", 60, 17) };
        var high = new ScriptedForecaster("high", (h, horizon) => [.. ScriptedForecaster.Oracle(series)(h, horizon).Select(v => v + 3)], spread: 8);
        var low = new ScriptedForecaster("low", (h, horizon) => [.. ScriptedForecaster.Oracle(series)(h, horizon).Select(v => v - 3)], spread: 2);
        var auto = new AutoForecaster(Settings(["high", "low"]) with { Ensembles = [EnsembleKind.Mean] }, [high, low]);

        var forecast = (await auto.ForecastAsync(series, Request)).Single();

        var row = ReadSelection(State(auto, "selection.csv")).Single();
        row["choice"].Should().Be("ensemble_mean", "the two errors cancel in the mean");
        row["members"].Should().Be("high=0.5;low=0.5");
        double last = series[0].Values[^1];
        forecast.Mean.Should().AllSatisfy(v => v.Should().BeApproximately(last, 1e-9));
        // Quantile q is the mean of (last + 3 + (q - 0.5)·8) and (last - 3 + (q - 0.5)·2).
        for (int q = 0; q < Request.Quantiles.Count; q++)
            forecast.Quantiles[q].Should().AllSatisfy(v => v.Should().BeApproximately(last + (Request.Quantiles[q] - 0.5) * 5, 1e-9));
    }
}
