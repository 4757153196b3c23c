using Forecast.Chronos.Bolt;
using Forecast.Chronos.Chronos2;
using Forecast.Chronos.Checkpoints;
using Forecast.Chronos.ChronosT5;
using Forecast.Chronos.Common;
using Forecast.Chronos.Frames;
using Forecast.Chronos.Tests.Chronos2;
using Forecast.Chronos.Tests.Support;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.Frames;

/// <summary>
/// The long-format table API (predict_df): a table of series in, one forecast row per series and step out, equal to
/// the reference's forecasts of the same series; Chronos-2 reads covariate columns, a table of future values and
/// groups of series.
/// </summary>
public sealed class PredictFrameTests
{
    private static readonly DateTime Start = new(2024, 1, 1);

    /// <summary>The set-a series of one family in one table, rows shuffled, daily timestamps ending on the same day.</summary>
    private static (SeriesFrame Frame, List<float[]> Series) SetATable(string model)
    {
        var series = Fixtures.SeriesNames.Select(name =>
            SafeTensorsFixture.Read(Fixtures.SetA(model, name + ".safetensors"))["context"][0].data<float>().ToArray()).ToList();
        var rows = series.SelectMany((values, s) => values.Select((v, t) => (Id: Fixtures.SeriesNames[s], Time: Start.AddDays(t - values.Length), Value: v)))
            .OrderBy(row => row.Time).ThenBy(row => row.Id, StringComparer.Ordinal).ToList();
        var ids = rows.Select(r => r.Id).ToList();
        return (new SeriesFrame(ids, [.. rows.Select(r => r.Time)], [.. rows.Select(r => r.Value)]), series);
    }

    [Fact]
    public void Bolt_forecasts_every_series_of_a_long_table_as_the_reference_and_dates_them()
    {
        using var pipeline = ChronosPretrained.LoadBolt(Fixtures.SetA("chronos-bolt", "model"));
        var (frame, _) = SetATable("chronos-bolt");
        var first = SafeTensorsFixture.Read(Fixtures.SetA("chronos-bolt", Fixtures.SeriesNames[0] + ".safetensors"));
        var (key, levels) = Fixtures.QuantileKey(first, "quantiles_");
        var horizon = Fixtures.Horizon(first, "mean");

        var table = pipeline.PredictFrame(frame, horizon, levels);

        table.RowCount.Should().Be(Fixtures.SeriesNames.Length * horizon);
        table.Levels.Should().Equal(levels);
        var firstAppearance = frame.Ids.Distinct().ToList();
        for (var s = 0; s < firstAppearance.Count; s++)
        {
            var golden = SafeTensorsFixture.Read(Fixtures.SetA("chronos-bolt", firstAppearance[s] + ".safetensors"));
            var rows = Enumerable.Range(s * horizon, horizon).ToArray();
            table.Ids[rows[0]].Should().Be(firstAppearance[s], "series come in the order they first appear");
            table.Timestamps[rows[0]].Should().Be(Start);
            table.Timestamps[rows[^1]].Should().Be(Start.AddDays(horizon - 1));
            var quantiles = tensor(rows.SelectMany(r => table.Quantiles.Select(q => q[r])).ToArray(), [1, horizon, levels.Length]);
            TensorAssert.Close(quantiles, golden[key], $"{firstAppearance[s]} {key}");
            TensorAssert.Close(tensor(rows.Select(r => table.Mean[r]).ToArray(), [1, horizon]), golden["mean"], $"{firstAppearance[s]} mean");
        }
    }

    [Fact]
    public void Chronos_t5_greedy_forecasts_of_a_table_are_the_reference_ones()
    {
        using var pipeline = ChronosPretrained.LoadT5(Fixtures.SetA("chronos-t5", "model"));
        pipeline.Warn = _ => { };
        pipeline.Sampling = new SamplingSettings { NumSamples = 1, TopK = 1 };
        var name = Fixtures.SeriesNames.First(Fixtures.HasComfortableGreedyGap);
        var golden = SafeTensorsFixture.Read(Fixtures.SetA("chronos-t5", name + ".safetensors"));
        var values = golden["context"][0].data<float>().ToArray();
        var frame = new SeriesFrame([.. values.Select(_ => name)], [.. values.Select((_, t) => Start.AddHours(t))], values);
        var (key, levels) = Fixtures.QuantileKey(golden, "greedy_quantiles_");
        var horizon = Fixtures.Horizon(golden, "greedy_mean");

        var table = pipeline.PredictFrame(frame, horizon, levels);

        table.Timestamps[0].Should().Be(Start.AddHours(values.Length));
        var quantiles = tensor(Enumerable.Range(0, horizon).SelectMany(r => table.Quantiles.Select(q => q[r])).ToArray(), [1, horizon, levels.Length]);
        TensorAssert.Close(quantiles, golden[key], key);
    }

    [Fact]
    public void Chronos2_reads_a_past_covariate_column_and_its_future_values_from_a_future_table()
    {
        using var pipeline = Chronos2Fixtures.LoadSetA();
        var golden = Chronos2Fixtures.Golden("multivariate.safetensors");
        var rows = Chronos2Fixtures.Rows(golden["context"]);
        var future = golden["future_covariates"][2].data<float>().ToArray();
        var expected = golden["forecast_dict_target0_cov2"];                         // (1, 21, H)
        var horizon = (int)expected.shape[^1];
        var history = new SeriesFrame([.. rows[0].Select(_ => "item")], [.. rows[0].Select((_, t) => Start.AddDays(t))], rows[0])
            .With("x", rows[2]);
        var futureTable = new SeriesFrame([.. future.Select(_ => "item")], [.. future.Select((_, t) => Start.AddDays(rows[0].Length + t))])
            .With("x", future);
        float[] levels = [0.1f, 0.5f, 0.9f];

        var table = pipeline.PredictFrame(history, horizon, levels, new FrameForecastOptions { Future = futureTable });

        for (var l = 0; l < levels.Length; l++)
        {
            var index = QuantileMath.IndexOfLevel(pipeline.Quantiles, levels[l]);
            TensorAssert.Close(tensor(table.Quantiles[l]), expected[0, index], $"q{levels[l]}");
        }
    }

    [Fact]
    public void Chronos2_forecasts_the_series_of_a_group_jointly()
    {
        using var pipeline = Chronos2Fixtures.LoadSetA();
        var golden = Chronos2Fixtures.Golden("multivariate.safetensors");
        var rows = Chronos2Fixtures.Rows(golden["context"]);
        var expected = golden["forecast_multivariate"];                               // (3, 21, H)
        var horizon = (int)expected.shape[^1];
        var ids = rows.SelectMany((r, v) => r.Select(_ => $"store1_{v}")).ToList();
        var history = new SeriesFrame(ids, [.. rows.SelectMany(r => r.Select((_, t) => Start.AddDays(t)))], [.. rows.SelectMany(r => r)])
            .With("store", (IReadOnlyList<string?>)ids.Select(_ => (string?)"store1").ToList());

        var table = pipeline.PredictFrame(history, horizon, [0.5f], new FrameForecastOptions { GroupColumn = "store" });

        var median = QuantileMath.IndexOfLevel(pipeline.Quantiles, 0.5f);
        for (var v = 0; v < rows.Length; v++)
            TensorAssert.Close(tensor(table.Mean.Skip(v * horizon).Take(horizon).ToArray()), expected[v, median], $"variate {v}");
    }

    [Fact]
    public void Irregular_or_duplicate_timestamps_and_mismatched_future_rows_are_named()
    {
        using var pipeline = ChronosPretrained.LoadBolt(Fixtures.SetA("chronos-bolt", "model"));
        float[] values = [1, 2, 3, 4];
        var irregular = new SeriesFrame(["a", "a", "a", "a"], [Start, Start.AddDays(1), Start.AddDays(3), Start.AddDays(4)], values);
        var duplicate = new SeriesFrame(["a", "a", "b", "b"], [Start, Start, Start, Start.AddDays(1)], values);

        FluentActions.Invoking(() => pipeline.PredictFrame(irregular, 4)).Should().Throw<SeriesFrameException>()
            .WithMessage("Series 'a' has irregular timestamps*Frequency*");
        FluentActions.Invoking(() => pipeline.PredictFrame(duplicate, 4)).Should().Throw<SeriesFrameException>()
            .WithMessage("Series 'a' has two history rows at 2024-01-01*");
        var dated = pipeline.PredictFrame(irregular, 2, [0.5f], new FrameForecastOptions { Frequency = TimeStep.Fixed(TimeSpan.FromDays(1)) });
        dated.Timestamps.Should().Equal(Start.AddDays(5), Start.AddDays(6));

        using var chronos2 = Chronos2Fixtures.LoadSetA();
        var history = new SeriesFrame(["a", "a", "a"], [Start, Start.AddDays(1), Start.AddDays(2)], [1, 2, 3]).With("x", [1f, 2, 3]);
        var wrongDays = new SeriesFrame(["a", "a"], [Start.AddDays(4), Start.AddDays(5)]).With("x", [1f, 2]);
        var unknownColumn = new SeriesFrame(["a", "a"], [Start.AddDays(3), Start.AddDays(4)]).With("y", [1f, 2]);
        FluentActions.Invoking(() => chronos2.PredictFrame(history, 2, null, new FrameForecastOptions { Future = wrongDays }))
            .Should().Throw<SeriesFrameException>().WithMessage("The future rows of series 'a' are at 2 timestamps from 2024-01-05*but its forecast is at 2 timestamps from 2024-01-04*");
        FluentActions.Invoking(() => chronos2.PredictFrame(history, 2, null, new FrameForecastOptions { Future = unknownColumn }))
            .Should().Throw<SeriesFrameException>().WithMessage("The future table has column 'y', which the history has not*");
    }

    [Fact]
    public void A_group_column_must_be_constant_within_a_series()
    {
        using var chronos2 = Chronos2Fixtures.LoadSetA();
        var history = new SeriesFrame(["a", "a", "a"], [Start, Start.AddDays(1), Start.AddDays(2)], [1, 2, 3])
            .With("store", (IReadOnlyList<string?>)["s1", "s2", "s1"]);

        FluentActions.Invoking(() => chronos2.PredictFrame(history, 2, null, new FrameForecastOptions { GroupColumn = "store" }))
            .Should().Throw<SeriesFrameException>().WithMessage("Series 'a' has more than one value in GroupColumn 'store'*");
    }

    [Theory]
    [InlineData("2024-01-31", "2024-02-29", "2024-03-31", 1, "2024-04-30")]      // month ends stay month ends
    [InlineData("2024-01-15", "2024-04-15", "2024-07-15", 3, "2024-10-15")]      // quarterly
    [InlineData("2020-06-30", "2021-06-30", "2022-06-30", 12, "2023-06-30")]     // yearly
    public void Calendar_steps_are_inferred_and_continued(string a, string b, string c, int months, string next)
    {
        DateTime[] timestamps = [DateTime.Parse(a), DateTime.Parse(b), DateTime.Parse(c)];
        var step = TimeStep.Infer(timestamps)!.Value;

        step.Months.Should().Be(months);
        step.After(timestamps[^1], 1, TimeStep.IsMonthEnd(timestamps)).Should().Be(DateTime.Parse(next));
        TimeStep.Infer([Start, Start.AddHours(1), Start.AddHours(2)])!.Value.Span.Should().Be(TimeSpan.FromHours(1));
        TimeStep.Infer([Start, Start.AddHours(1), Start.AddHours(3)]).Should().BeNull();
    }
}
