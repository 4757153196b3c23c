using Forecast.Core.Data;
using Parquet;
using Parquet.Schema;

namespace Forecast.Core.Tests.Data;

/// <summary>
/// A damaged Parquet file is a <see cref="DataException"/> naming the file (and the row group and column when a page
/// cannot be decoded), never an exception of the Parquet decoder. The file is the R monthly datasets written with
/// Parquet.Net's default Snappy pages, then cut or with bytes flipped across its whole length.
/// </summary>
public class ParquetCorruptionTests
{
    private static async Task<byte[]> MonthlyParquetAsync()
    {
        var csv = await SeriesLoader.LoadAsync(new DataOptions { Path = Fixtures.Path("rdatasets_monthly.csv") });
        var rows = csv.Series.SelectMany(s => s.Timestamps.Select((t, i) => (s.Id, t, s.Values[i]))).ToArray();
        var id = new DataField<string>("unique_id");
        var ds = new DataField<DateTime>("ds");
        var y = new DataField<double>("y");
        using var file = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, ds, y), file))
        {
            for (int start = 0; start < rows.Length; start += 1500)
            {
                var part = rows.Skip(start).Take(1500).ToArray();
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(id, part.Select(r => r.Id).ToArray());
                await group.WriteAsync<DateTime>(ds, part.Select(r => r.t).ToArray());
                await group.WriteAsync<double>(y, part.Select(r => r.Item3).ToArray());
            }
        }
        return file.ToArray();
    }

    private static async Task<Exception?> TryLoad(byte[] bytes)
    {
        try
        {
            await SeriesLoader.LoadAsync(new MemoryStream(bytes), "monthly.parquet", new DataOptions());
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    [Fact]
    public async Task A_truncated_file_names_the_file()
    {
        byte[] whole = await MonthlyParquetAsync();
        foreach (int cut in new[] { 3, whole.Length / 2, whole.Length - 9, whole.Length - 1 })
        {
            var error = await TryLoad(whole[..cut]);
            error.Should().BeOfType<DataException>().Which.Message.Should().StartWith("monthly.parquet: ").And.Contain("not valid Parquet");
        }
    }

    [Fact]
    public async Task A_corrupted_page_names_the_file_row_group_and_column()
    {
        byte[] whole = await MonthlyParquetAsync();
        // Flip bytes everywhere in the data pages: some damage decodes (a changed value), the rest must be named.
        int named = 0;
        for (int at = 4; at < whole.Length - 8; at += 41)
        {
            byte[] bad = (byte[])whole.Clone();
            bad[at] ^= 0x5A;
            var error = await TryLoad(bad);
            if (error is null) continue;
            error.Should().BeOfType<DataException>($"flipping byte {at} must give a named data error, not {error}");
            error.Message.Should().StartWith("monthly.parquet");
            named++;
        }
        named.Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task A_page_decoding_failure_says_which_row_group_and_column()
    {
        byte[] whole = await MonthlyParquetAsync();
        for (int at = 4; at < whole.Length - 8; at++)
        {
            byte[] bad = (byte[])whole.Clone();
            bad[at] ^= 0xFF;
            if (await TryLoad(bad) is DataException { Message: var message } && message.Contains("cannot be decoded", StringComparison.Ordinal))
            {
                message.Should().MatchRegex(@"^monthly\.parquet, '(unique_id|ds|y)': row group [1-4] of 4 cannot be decoded \(\w+: ");
                return;
            }
        }
        Assert.Fail("no flipped byte made a page undecodable");
    }
}
