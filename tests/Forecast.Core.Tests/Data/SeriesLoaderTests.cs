using System.Security.Cryptography;
using Forecast.Core.Data;

namespace Forecast.Core.Tests.Data;

public class SeriesLoaderTests
{
    [Fact]
    public async Task Loads_the_R_monthly_datasets_sorted_by_id_with_a_fingerprint_of_the_file_bytes()
    {
        string path = Fixtures.Path("rdatasets_monthly.csv");

        var data = await SeriesLoader.LoadAsync(new DataOptions { Path = path });

        data.Series.Select(s => s.Id).Should().Equal(
            "AirPassengers", "UKDriverDeaths", "USAccDeaths", "co2", "fdeaths", "ldeaths", "mdeaths", "nottem", "sunspot.month");
        var air = data.Series[0];
        air.Length.Should().Be(144);
        air.Timestamps[0].Should().Be(new DateTime(1949, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        air.Timestamps[0].Kind.Should().Be(DateTimeKind.Utc);
        air.Timestamps[^1].Should().Be(new DateTime(1960, 12, 1));
        air.Values[0].Should().Be(112);
        air.Values[^1].Should().Be(432);
        data.Fingerprint.Rows.Should().Be(4509);
        data.Fingerprint.Series.Should().Be(9);
        data.Fingerprint.Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));
    }

    [Fact]
    public async Task Reads_datetimes_of_the_half_hourly_taylor_series()
    {
        var data = await SeriesLoader.LoadAsync(new DataOptions { Path = Fixtures.Path("taylor_halfhourly.csv") });

        var taylor = data.Series.Should().ContainSingle().Subject;
        taylor.Length.Should().Be(4032);
        taylor.Timestamps[1].Should().Be(new DateTime(2000, 6, 5, 0, 30, 0));
        taylor.Values[..2].Should().Equal(22262, 21756);
    }

    [Fact]
    public async Task Maps_renamed_columns_and_loads_covariates()
    {
        const string csv = "store,when,sales,price,promo\nb,2024-01-02,5,1.5,0\na,2024-01-01,1,2.5,1\na,2024-01-02,2,2.0,0\n";
        var options = new DataOptions { IdColumn = "store", TimeColumn = "when", TargetColumn = "sales", Covariates = ["price", "promo"] };

        var data = await CsvText.LoadAsync(csv, options);

        data.Series.Select(s => s.Id).Should().Equal("a", "b");
        data.Series[0].Values.Should().Equal(1, 2);
        data.Series[0].Covariates["price"].Should().Equal(2.5, 2.0);
        data.Series[0].Covariates["promo"].Should().Equal(1, 0);
        data.Series[1].Covariates["price"].Should().Equal(1.5);
    }

    [Fact]
    public async Task A_file_without_an_id_column_is_one_series_named_after_the_file_or_the_config()
    {
        const string csv = "ds,y\n2024-01-01,1\n2024-01-02,2\n";

        (await CsvText.LoadAsync(csv, fileName: "s3://bucket/shop_42.csv")).Series.Single().Id.Should().Be("shop_42");
        (await CsvText.LoadAsync(csv, new DataOptions { SeriesId = "total" })).Series.Single().Id.Should().Be("total");
    }

    [Theory]
    [InlineData("2024-03-05", "2024-03-05T00:00:00")]
    [InlineData("2024/03/05", "2024-03-05T00:00:00")]
    [InlineData("2024-03-05 13:45", "2024-03-05T13:45:00")]
    [InlineData("2024-03-05 13:45:30", "2024-03-05T13:45:30")]
    [InlineData("2024-03-05T13:45:30.250", "2024-03-05T13:45:30.250")]
    [InlineData("2024-03-05T13:45:30Z", "2024-03-05T13:45:30")]
    [InlineData("2024-03-05T13:45:30+02:00", "2024-03-05T11:45:30")]
    [InlineData("2024-03-05T01:00:00-0530", "2024-03-05T06:30:00")]
    [InlineData("2024-03-05T00:30:00+01", "2024-03-04T23:30:00")]
    [InlineData("1709646330", "2024-03-05T13:45:30")]
    [InlineData("1709646330.5", "2024-03-05T13:45:30.500")]
    [InlineData("0", "1970-01-01T00:00:00")]
    public async Task Normalises_every_timestamp_form_to_UTC(string text, string expectedUtc)
    {
        var data = await CsvText.LoadAsync($"unique_id,ds,y\na,{text},1\n");

        var t = data.Series[0].Timestamps[0];
        t.Should().Be(DateTime.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture));
        t.Kind.Should().Be(DateTimeKind.Utc);
    }

    [Fact]
    public async Task Sorts_unsorted_rows_by_id_then_time_keeping_duplicates_in_file_order()
    {
        const string csv = "unique_id,ds,y\nb,2024-01-03,30\na,2024-01-02,2\nb,2024-01-01,10\na,2024-01-01,1\na,2024-01-02,3\n";

        var data = await CsvText.LoadAsync(csv);

        data.Series[0].Id.Should().Be("a");
        data.Series[0].Values.Should().Equal(1, 2, 3);
        data.Series[1].Values.Should().Equal(10, 30);
        data.Fingerprint.Rows.Should().Be(5);
    }

    [Fact]
    public async Task Reads_missing_markers_as_NaN()
    {
        var data = await CsvText.LoadAsync("unique_id,ds,y\na,2024-01-01,\na,2024-01-02,NA\na,2024-01-03,NaN\na,2024-01-04,null\na,2024-01-05,-1.5e2\n");

        var v = data.Series[0].Values;
        v[..4].Should().OnlyContain(x => double.IsNaN(x));
        v[4].Should().Be(-150);
    }

    [Fact]
    public async Task Handles_quoted_fields_CRLF_a_byte_order_mark_and_semicolons()
    {
        var quoted = await CsvText.LoadAsync("\uFEFF\"unique_id\",\"ds\",\"y\"\r\n\"shop, \"\"north\"\"\",\"2024-01-01\",\"7\"\r\n\r\n");
        quoted.Series.Single().Id.Should().Be("shop, \"north\"");
        quoted.Series[0].Values.Should().Equal(7);

        var semicolons = await CsvText.LoadAsync("unique_id;ds;y\na;2024-01-01;1.25\n");
        semicolons.Series[0].Values.Should().Equal(1.25);

        var noTrailingNewline = await CsvText.LoadAsync("unique_id,ds,y\na,2024-01-01,1\r");
        noTrailingNewline.Series[0].Values.Should().Equal(1);
    }

    [Fact]
    public async Task Reads_rows_that_span_the_read_buffer_boundary()
    {
        // 200 000 rows (≈ 5 MB) cross several 1 MiB chunks, so rows are split between reads.
        var sb = new System.Text.StringBuilder("unique_id,ds,y\n");
        var start = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (int i = 0; i < 200_000; i++) sb.Append("series_").Append(i % 3).Append(',').Append(start.AddHours(i / 3).ToString("yyyy-MM-dd HH:mm:ss")).Append(',').Append(i).Append('\n');

        var data = await CsvText.LoadAsync(sb.ToString());

        data.Fingerprint.Rows.Should().Be(200_000);
        data.Series.Should().HaveCount(3);
        data.Series[1].Values[..3].Should().Equal(1, 4, 7);
        data.Series[0].Timestamps[^1].Should().Be(start.AddHours(66_666));
    }

    [Fact]
    public async Task A_quoted_field_may_span_lines_and_the_read_buffer_and_later_lines_are_still_counted_right()
    {
        string longId = new('x', 3 << 20); // 3 MiB: longer than the 1 MiB read buffer, which has to grow
        string csv = $"unique_id,ds,y\n\"{longId}\",2024-01-01,1\n\"two\nlines\",2024-01-01,2\nok,2024-01-01,oops\n";

        var act = () => CsvText.LoadAsync(csv);

        (await act.Should().ThrowAsync<DataException>()).Which.Line.Should().Be(5, "the id on line 3 ends on line 4");
        var data = await CsvText.LoadAsync(csv.Replace("oops", "3"));
        data.Series.Select(s => s.Id.Length).Should().Equal(2, 9, longId.Length);
        data.Series[1].Id.Should().Be("two\nlines");
    }

    [Fact]
    public async Task Loading_stops_when_cancelled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var act = () => SeriesLoader.LoadAsync(new DataOptions { Path = Fixtures.Path("rdatasets_monthly.csv") }, cancelled.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task Gzipped_CSV_loads_like_the_CSV_with_the_fingerprint_of_the_compressed_bytes()
    {
        string path = Fixtures.Path("rdatasets_monthly.csv");
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            await gzip.WriteAsync(await File.ReadAllBytesAsync(path));
        byte[] bytes = compressed.ToArray();

        var plain = await SeriesLoader.LoadAsync(new DataOptions { Path = path });
        var gz = await SeriesLoader.LoadAsync(new MemoryStream(bytes), "s3://bucket/rdatasets_monthly.csv.gz", new DataOptions());

        gz.Series.Select(s => s.Id).Should().Equal(plain.Series.Select(s => s.Id));
        gz.Series[8].Values.Should().Equal(plain.Series[8].Values);
        gz.Fingerprint.Rows.Should().Be(4509);
        gz.Fingerprint.Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(bytes)));

        var notGzip = () => SeriesLoader.LoadAsync(new MemoryStream("unique_id,ds,y\n"u8.ToArray()), "x.csv.gz", new DataOptions());
        (await notGzip.Should().ThrowAsync<DataException>()).Which.Message.Should().Contain("not valid gzip");
    }
}
