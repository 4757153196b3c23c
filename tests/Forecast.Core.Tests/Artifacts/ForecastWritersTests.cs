using System.Text;
using Forecast.Core.Artifacts;
using Forecast.Core.Models;
using Parquet;

namespace Forecast.Core.Tests.Artifacts;

public class ForecastWritersTests
{
    private static readonly SeriesForecast Hourly = new("a,b", [new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2024, 1, 1, 1, 0, 0, DateTimeKind.Utc)],
        [1.5, 2], [0.1, 0.9], [[1, 1.25], [2, 3]]);

    [Fact]
    public void CsvHasOneColumnPerQuantileAndQuotesIds()
    {
        string csv = Encoding.UTF8.GetString(ForecastCsvWriter.Write([Hourly], [0.1, 0.9]));
        csv.Should().Be("unique_id,ds,mean,q0.1,q0.9\n\"a,b\",2024-01-01 00:00:00,1.5,1,2\n\"a,b\",2024-01-01 01:00:00,2,1.25,3\n");
    }

    [Fact]
    public void EvaluationCsvCarriesWindowAndActuals()
    {
        var daily = Hourly with { Id = "s", Timestamps = [new DateTime(2024, 1, 1), new DateTime(2024, 1, 2)] };
        string csv = Encoding.UTF8.GetString(ForecastCsvWriter.Write([(0, [daily], [new[] { 1.0, double.NaN }])], [0.1, 0.9]));
        csv.Should().Be("unique_id,window,ds,y,mean,q0.1,q0.9\ns,0,2024-01-01,1,1.5,1,2\ns,0,2024-01-02,,2,1.25,3\n");
    }

    [Fact]
    public async Task ParquetRoundTrips()
    {
        byte[] bytes = await ForecastParquetWriter.WriteAsync([Hourly], [0.1, 0.9]);
        using var stream = new MemoryStream(bytes);
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        fields.Select(f => f.Name).Should().Equal("unique_id", "ds", "mean", "q0.1", "q0.9");
        using var group = reader.OpenRowGroupReader(0);
        var ids = new string[2];
        await group.ReadAsync(fields[0], ids.AsMemory()!);
        var q90 = new double[2];
        await group.ReadAsync(fields[4], q90.AsMemory());
        ids.Should().Equal("a,b", "a,b");
        q90.Should().Equal(2, 3);
    }
}

/// <summary>
/// The layouts the merge of a sharded run relies on: a CSV's per-series blocks, date rows widened to date-times, and a
/// Parquet file that depends only on its rows (not on row-group boundaries of the writer's callers).
/// </summary>
public class ForecastFileLayoutTests
{
    private static SeriesForecast Daily(string id, int days) => new(id,
        [.. Enumerable.Range(0, days).Select(d => new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddDays(d))],
        [.. Enumerable.Range(0, days).Select(d => d + 0.5)], [0.1, 0.9],
        [[.. Enumerable.Range(0, days).Select(d => d - 0.1)], [.. Enumerable.Range(0, days).Select(d => d + 1.1)]]);

    [Fact]
    public void Csv_blocks_are_the_rows_of_each_series_per_window()
    {
        var a = Daily("a,\"quoted\"", 2);
        var b = Daily("b", 3);
        var blocks = ForecastCsvWriter.WriteBlocks([(0, [a, b], [new[] { 1.0, 2 }, new[] { 1.0, 2, 3 }]), (1, [a, b], [new[] { 1.0, 2 }, new[] { 1.0, 2, 3 }])], [0.1, 0.9]);

        var text = Encoding.UTF8.GetString(blocks.Bytes);
        var lines = text.Split('\n');
        blocks.HeaderLength.Should().Be(Encoding.UTF8.GetByteCount(lines[0] + "\n"));
        blocks.BlockLengths.Should().HaveCount(2);
        blocks.BlockLengths[0][0].Should().Be(Encoding.UTF8.GetByteCount(lines[1] + "\n" + lines[2] + "\n"));
        (blocks.HeaderLength + blocks.BlockLengths.Sum(w => w.Sum())).Should().Be(blocks.Bytes.Length);
        blocks.DateOnly.Should().BeTrue();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Widened_date_rows_are_the_rows_written_with_date_times(bool withWindow)
    {
        var a = Daily("a,\"b\"\nc", 2);
        var hourly = a with { Id = "h", Timestamps = [a.Timestamps[0].AddHours(1), a.Timestamps[1].AddHours(1)] };
        (int?, IReadOnlyList<SeriesForecast>, IReadOnlyList<double[]>?) Window(IReadOnlyList<SeriesForecast> f) =>
            (withWindow ? 3 : null, f, withWindow ? [.. f.Select(_ => new[] { 1.0, double.NaN })] : null);
        var datesOnly = ForecastCsvWriter.WriteBlocks([Window([a])], [0.1, 0.9]);
        var mixed = ForecastCsvWriter.WriteBlocks([Window([a, hourly])], [0.1, 0.9]);

        var widened = new System.Buffers.ArrayBufferWriter<byte>();
        ForecastCsvTimes.WidenDates(datesOnly.Bytes.AsSpan(datesOnly.HeaderLength), withWindow, widened);

        datesOnly.DateOnly.Should().BeTrue();
        mixed.DateOnly.Should().BeFalse();
        widened.WrittenSpan.ToArray().Should().Equal(mixed.Bytes.AsSpan(mixed.HeaderLength, mixed.BlockLengths[0][0]).ToArray());
    }

    [Fact]
    public async Task Parquet_bytes_depend_only_on_the_rows_and_the_row_group_size()
    {
        var forecasts = Enumerable.Range(0, 7).Select(i => Daily($"s{i}", 5)).ToList();
        var whole = await ForecastParquetWriter.WriteAsync(forecasts, [0.1, 0.9], rowGroupRows: 8);

        using var buffer = new MemoryStream();
        await using (var writer = await ForecastParquetWriter.CreateAsync(buffer, [0.1, 0.9], expectedRows: 3, rowGroupRows: 8))
            foreach (var f in forecasts) await writer.AddAsync(f);

        buffer.ToArray().Should().Equal(whole);
        using var stream = new MemoryStream(whole);
        await using var reader = await ParquetReader.CreateAsync(stream);
        reader.RowGroupCount.Should().Be((7 * 5 + 7) / 8, "row groups hold 8 rows but the last");
    }
}
