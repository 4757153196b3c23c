using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using Forecast.Core.Data;

namespace Forecast.Core.Tests.Data;

/// <summary>
/// A .csv.gz loads only when every gzip member is whole: CRC-32 and ISIZE trailers are checked, so a truncated file
/// is a data error naming the file instead of fewer rows. Members are built by hand (RFC 1952) to cover every header
/// field and concatenation.
/// </summary>
public class GzipIntegrityTests
{
    private static readonly byte[] Csv = File.ReadAllBytes(Fixtures.Path("rdatasets_monthly.csv"));

    private static byte[] Deflate(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return [0x03, 0x00]; // one empty final fixed block, as gzip writes it (DeflateStream writes nothing)
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true)) deflate.Write(data);
        return output.ToArray();
    }

    /// <summary>One gzip member: header (with the optional fields of <paramref name="flags"/>), raw deflate, CRC-32, ISIZE.</summary>
    private static byte[] Member(ReadOnlySpan<byte> data, byte flags = 0)
    {
        var header = new List<byte> { 0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 3 };
        if ((flags & 0x04) != 0) header.AddRange([4, 0, (byte)'A', (byte)'B', 0, 0]);
        if ((flags & 0x08) != 0) header.AddRange("data.csv\0"u8.ToArray());
        if ((flags & 0x10) != 0) header.AddRange("a comment\0"u8.ToArray());
        if ((flags & 0x02) != 0)
        {
            uint crc = Crc32.HashToUInt32(header.ToArray());
            header.AddRange([(byte)crc, (byte)(crc >> 8)]);
        }
        var trailer = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32.HashToUInt32(data));
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), (uint)data.Length);
        return [.. header, .. Deflate(data), .. trailer];
    }

    private static Task<LoadedData> Load(byte[] bytes) =>
        SeriesLoader.LoadAsync(new MemoryStream(bytes), "sales.csv.gz", new DataOptions());

    private static async Task<string> Fails(byte[] bytes)
    {
        var load = () => Load(bytes);
        var error = (await load.Should().ThrowAsync<DataException>()).Which;
        error.File.Should().Be("sales.csv.gz");
        return error.Message;
    }

    [Fact]
    public async Task A_gzip_cut_anywhere_is_a_data_error_never_fewer_rows()
    {
        byte[] whole = Member(Csv);
        (await Load(whole)).Fingerprint.Rows.Should().Be(4509);
        // Every cut in the header, in the deflate data (a sample of points) and in the trailer.
        var cuts = Enumerable.Range(1, 12).Concat(Enumerable.Range(1, 40).Select(i => whole.Length * i / 41)).Concat(Enumerable.Range(whole.Length - 8, 8));
        foreach (int cut in cuts.Distinct())
        {
            string message = await Fails(whole[..cut]);
            message.Should().Contain("sales.csv.gz").And.Contain("not valid gzip").And.ContainAny("truncated", "corrupt");
        }
    }

    [Fact]
    public async Task A_gzip_without_its_trailer_names_the_missing_check()
    {
        byte[] whole = Member(Csv);
        string message = await Fails(whole[..^8]);
        message.Should().Contain("member 1 has no trailer matching its").And.Contain("truncated");
    }

    [Fact]
    public async Task A_wrong_CRC_or_length_in_the_trailer_is_a_data_error()
    {
        byte[] badCrc = Member(Csv);
        badCrc[^6] ^= 0x10;
        (await Fails(badCrc)).Should().Contain("CRC-32");
        byte[] badLength = Member(Csv);
        badLength[^1] ^= 0x01;
        (await Fails(badLength)).Should().Contain("no trailer matching");
    }

    [Fact]
    public async Task Concatenated_members_with_every_header_field_load_as_one_text()
    {
        int split = Array.IndexOf(Csv, (byte)'\n', Csv.Length / 2) + 1;
        byte[] bytes = [.. Member(Csv.AsSpan(0, 100), flags: 0x1E), .. Member(Csv.AsSpan(100, split - 100), flags: 0x08), .. Member(Csv.AsSpan(split)), .. Member([])];
        var loaded = await Load(bytes);
        var plain = await SeriesLoader.LoadAsync(new DataOptions { Path = Fixtures.Path("rdatasets_monthly.csv") });
        loaded.Fingerprint.Rows.Should().Be(plain.Fingerprint.Rows);
        loaded.Series.Select(s => s.Values.Length).Should().Equal(plain.Series.Select(s => s.Values.Length));
        loaded.Series[^1].Values.Should().Equal(plain.Series[^1].Values);
    }

    [Fact]
    public async Task A_large_text_over_many_read_chunks_checks_out_and_a_cut_in_its_second_member_does_not()
    {
        // ~2 MB of rows: the trailer search crosses the 64 KiB read chunks of the raw stream.
        var text = new System.Text.StringBuilder("unique_id,ds,y\n");
        for (int i = 0; i < 60_000; i++) text.Append(System.Globalization.CultureInfo.InvariantCulture, $"s{i % 7},{new DateTime(1900, 1, 1).AddDays(i / 7):yyyy-MM-dd},{i}\n");
        byte[] csv = System.Text.Encoding.ASCII.GetBytes(text.ToString());
        int split = Array.IndexOf(csv, (byte)'\n', csv.Length / 3) + 1;
        byte[] first = Member(csv.AsSpan(0, split));
        byte[] second = Member(csv.AsSpan(split));
        (await Load([.. first, .. second])).Fingerprint.Rows.Should().Be(60_000);
        (await Fails([.. first, .. second[..(second.Length / 2)]])).Should().Contain("member 2");
    }

    [Fact]
    public async Task Zero_padding_after_the_last_member_is_ignored_and_other_trailing_bytes_are_not()
    {
        byte[] whole = Member(Csv);
        (await Load([.. whole, 0, 0, 0, 0])).Fingerprint.Rows.Should().Be(4509);
        (await Fails([.. whole, .. "junk"u8.ToArray()])).Should().Contain("4 bytes after gzip member 1 are not gzip data");
    }

    [Fact]
    public async Task Header_defects_are_named()
    {
        byte[] method = Member(Csv);
        method[2] = 7;
        (await Fails(method)).Should().Contain("compression method 7");
        byte[] reserved = Member(Csv);
        reserved[3] = 0x80;
        (await Fails(reserved)).Should().Contain("reserved flag bits");
        byte[] headerCrc = Member(Csv, flags: 0x0A);
        headerCrc[10] ^= 0x20; // a letter of the file name
        (await Fails(headerCrc)).Should().Contain("header checksum");
        byte[] deflate = Member(Csv);
        deflate[10] = 0xff; // an invalid block type
        (await Fails(deflate)).Should().Contain("compressed data is corrupt");
    }
}
