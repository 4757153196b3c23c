using Forecast.Core.Data;
using Parquet;
using Parquet.Schema;

namespace Forecast.Core.Tests.Data;

public class ParquetLoadingTests
{
    [Fact]
    public async Task A_Parquet_copy_of_the_R_monthly_data_loads_exactly_like_the_CSV()
    {
        var csv = await SeriesLoader.LoadAsync(new DataOptions { Path = Fixtures.Path("rdatasets_monthly.csv") });
        var rows = csv.Series.SelectMany(s => s.Timestamps.Select((t, i) => (s.Id, t, s.Values[i]))).Reverse().ToArray();
        using var file = new MemoryStream();
        await WriteAsync(file, rowGroupSize: 1000,
            (new DataField<string>("unique_id"), rows.Select(r => r.Id).ToArray()),
            (new DataField<DateTime>("ds"), rows.Select(r => r.t).ToArray()),
            (new DataField<double>("y"), rows.Select(r => r.Item3).ToArray()));
        file.Position = 0;

        var parquet = await SeriesLoader.LoadAsync(file, "rdatasets_monthly.parquet", new DataOptions());

        parquet.Fingerprint.Rows.Should().Be(4509);
        parquet.Series.Select(s => s.Id).Should().Equal(csv.Series.Select(s => s.Id));
        for (int i = 0; i < csv.Series.Count; i++)
        {
            parquet.Series[i].Timestamps.Should().Equal(csv.Series[i].Timestamps);
            parquet.Series[i].Values.Should().Equal(csv.Series[i].Values);
        }
    }

    [Fact]
    public async Task Reads_integer_ids_epoch_seconds_nullable_targets_and_covariates_from_a_non_seekable_stream()
    {
        using var file = new MemoryStream();
        await WriteAsync(file, rowGroupSize: 2,
            (new DataField<long>("item"), new long[] { 7, 7, 3 }),
            (new DataField<long>("epoch"), new long[] { 1_700_000_000, 1_700_003_600, 1_700_000_000 }),
            (new DataField<float?>("qty"), new float?[] { 1.5f, null, 4 }),
            (new DataField<int>("promo"), new[] { 1, 0, 1 }));
        var stream = new ForwardOnlyStream(file.ToArray());
        var options = new DataOptions { IdColumn = "item", TimeColumn = "epoch", TargetColumn = "qty", Covariates = ["promo"] };

        var data = await SeriesLoader.LoadAsync(stream, "items.parquet", options);

        data.Series.Select(s => s.Id).Should().Equal("3", "7");
        var seven = data.Series[1];
        seven.Timestamps.Should().Equal(DateTime.UnixEpoch.AddSeconds(1_700_000_000), DateTime.UnixEpoch.AddSeconds(1_700_003_600));
        seven.Values[0].Should().Be(1.5);
        double.IsNaN(seven.Values[1]).Should().BeTrue();
        seven.Covariates["promo"].Should().Equal(1, 0);
    }

    [Fact]
    public async Task Reads_ISO_text_timestamps_with_offsets_and_date_columns()
    {
        using var text = new MemoryStream();
        await WriteAsync(text, rowGroupSize: 10,
            (new DataField<string>("ds"), new[] { "2024-03-05T13:45:00+02:00", "2024-03-05T12:45:00Z" }),
            (new DataField<double>("y"), new[] { 1.0, 2.0 }));
        text.Position = 0;
        using var dates = new MemoryStream();
        await WriteAsync(dates, rowGroupSize: 10,
            (new DataField<DateOnly>("ds"), new[] { new DateOnly(2024, 1, 31), new DateOnly(2024, 2, 29) }),
            (new DataField<double>("y"), new[] { 1.0, 2.0 }));
        dates.Position = 0;

        var fromText = await SeriesLoader.LoadAsync(text, "meter.parquet", new DataOptions());
        var fromDates = await SeriesLoader.LoadAsync(dates, "sales.parquet", new DataOptions());

        fromText.Series.Single().Id.Should().Be("meter");
        fromText.Series[0].Timestamps.Should().Equal(new DateTime(2024, 3, 5, 11, 45, 0), new DateTime(2024, 3, 5, 12, 45, 0));
        fromDates.Series[0].Timestamps.Should().Equal(new DateTime(2024, 1, 31), new DateTime(2024, 2, 29));
    }

    [Fact]
    public async Task A_Parquet_file_missing_the_target_names_the_column_and_the_config_key()
    {
        using var file = new MemoryStream();
        await WriteAsync(file, rowGroupSize: 10,
            (new DataField<string>("unique_id"), new[] { "a" }),
            (new DataField<DateTime>("ds"), new[] { new DateTime(2024, 1, 1) }));
        file.Position = 0;

        var act = () => SeriesLoader.LoadAsync(file, "x.parquet", new DataOptions());

        (await act.Should().ThrowAsync<DataException>()).Which.Message.Should()
            .Contain("x.parquet").And.Contain("'y' (data.target_column)").And.Contain("the file has: unique_id, ds");
    }

    [Fact]
    public async Task An_infinite_value_names_its_row_and_column()
    {
        using var file = new MemoryStream();
        await WriteAsync(file, rowGroupSize: 2,
            (new DataField<DateTime>("ds"), new[] { new DateTime(2024, 1, 1), new DateTime(2024, 1, 2), new DateTime(2024, 1, 3) }),
            (new DataField<double>("y"), new[] { 1.0, 2.0, double.PositiveInfinity }));
        file.Position = 0;

        var act = () => SeriesLoader.LoadAsync(file, "inf.parquet", new DataOptions());

        var e = (await act.Should().ThrowAsync<DataException>()).Which;
        e.Field.Should().Be("y");
        e.Message.Should().Contain("row 3: Infinity is not a usable value");
    }

    [Fact]
    public async Task A_file_that_is_not_Parquet_says_so()
    {
        using var file = new MemoryStream("unique_id,ds,y\na,2024-01-01,1\n"u8.ToArray());

        var act = () => SeriesLoader.LoadAsync(file, "actually.csv", new DataOptions { Format = DataFormat.Parquet });

        (await act.Should().ThrowAsync<DataException>()).Which.Message.Should().Contain("not valid Parquet");
    }

    private static async Task WriteAsync(Stream stream, int rowGroupSize, params (DataField Field, Array Values)[] columns)
    {
        var schema = new ParquetSchema(columns.Select(c => (Field)c.Field).ToArray());
        await using (var writer = await ParquetWriter.CreateAsync(schema, stream))
        {
            int rows = columns[0].Values.Length;
            for (int start = 0; start < rows; start += rowGroupSize)
            {
                int n = Math.Min(rowGroupSize, rows - start);
                using var group = writer.CreateRowGroup();
                foreach (var (field, values) in columns)
                {
                    switch (values)
                    {
                        case string[] s: await group.WriteAsync(field, s[start..(start + n)]); break;
                        case DateTime[] t: await group.WriteAsync<DateTime>(field, t.AsMemory(start, n)); break;
                        case double[] d: await group.WriteAsync<double>(field, d.AsMemory(start, n)); break;
                        case long[] l: await group.WriteAsync<long>(field, l.AsMemory(start, n)); break;
                        case int[] i: await group.WriteAsync<int>(field, i.AsMemory(start, n)); break;
                        case float?[] f: await group.WriteAsync<float>(field, f.AsMemory(start, n)); break;
                        case DateOnly[] d: await group.WriteAsync<DateOnly>(field, d.AsMemory(start, n)); break;
                        default: throw new NotSupportedException(values.GetType().Name);
                    }
                }
            }
        }
    }

    /// <summary>A stream that cannot seek, like an S3 or HTTP response body.</summary>
    private sealed class ForwardOnlyStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Seek(long offset, SeekOrigin loc) => throw new NotSupportedException();
        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
        public override long Length => throw new NotSupportedException();
    }
}
