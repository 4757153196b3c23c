using System.IO.Compression;
using Forecast.Trainer.Cli;

namespace Forecast.Trainer.Tests.Pipeline;

/// <summary>
/// Bad inputs found by the hardening pass (issue 14), through the real Trainer in-process and as a process: each gives
/// the documented exit code, a message naming the file, line, key or series, and no committed run.
/// </summary>
public class HardeningBadInputTests
{
    private static async Task<string> ExpectFailure(TrainerRun run, int exitCode, string? dataPath, params string[] overrides)
    {
        var (code, output, errors) = await run.RunDefaultAsync(dataPath, overrides);
        code.Should().Be(exitCode, $"stdout:\n{output}\nstderr:\n{errors}");
        (await run.CommittedRunsAsync()).Should().BeEmpty();
        run.FilesUnderRuns().Should().BeEmpty("a failed run removes what it wrote");
        errors.Should().Contain(" ERROR ").And.NotContain("   at ");
        return errors;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(data);
        return output.ToArray();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_truncated_csv_gz_is_a_data_error_and_not_fewer_rows(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        byte[] whole = Gzip(File.ReadAllBytes(TrainerRun.SampleData));
        string data = Path.Combine(run.Folder, "monthly.csv.gz");
        File.WriteAllBytes(data, whole[..(whole.Length / 4)]);
        var errors = await ExpectFailure(run, ExitCodes.DataError, data);
        errors.Should().Contain("monthly.csv.gz: the file is not valid gzip").And.Contain("truncated");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_csv_gz_without_its_trailer_is_a_data_error(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        byte[] whole = Gzip(File.ReadAllBytes(TrainerRun.SampleData));
        string data = Path.Combine(run.Folder, "monthly.csv.gz");
        File.WriteAllBytes(data, whole[..^8]);
        var errors = await ExpectFailure(run, ExitCodes.DataError, data);
        errors.Should().Contain("monthly.csv.gz").And.Contain("has no trailer matching");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_value_near_the_double_limit_names_file_line_and_column(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        var lines = File.ReadAllLines(TrainerRun.SampleData);
        lines[5] = string.Join(',', lines[5].Split(',')[..^1].Append("1.7e308"));
        string data = run.Write("huge.csv", string.Join('\n', lines) + "\n");
        var errors = await ExpectFailure(run, ExitCodes.DataError, data, "plots.enabled=true");
        errors.Should().Contain("huge.csv, line 6, 'y': '1.7e308' is not a number").And.Contain("within ±1e100");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_5000_character_unique_id_gets_a_bounded_file_name(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        string longId = new('x', 5000);
        var rows = File.ReadAllLines(TrainerRun.SampleData).Skip(1).Where(l => l.StartsWith("AirPassengers,", StringComparison.Ordinal))
            .Select(l => longId + l["AirPassengers".Length..]);
        string data = run.Write("long-id.csv", "unique_id,ds,y\n" + string.Join('\n', rows) + "\n");
        var (code, output, errors) = await run.RunDefaultAsync(data, "plots.enabled=true", "eda.enabled=true");
        code.Should().Be(ExitCodes.Ok, output + errors);
        var manifest = (await run.CommittedRunsAsync()).Should().ContainSingle().Subject;
        var names = Directory.GetFiles(Path.Combine(run.Output, "runs", manifest.RunId), "*.png", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        names.Should().NotBeEmpty().And.OnlyContain(n => n!.Length < 100 && n.StartsWith(new string('x', 64) + "-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_corrupted_parquet_page_names_the_file(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        string data = Path.Combine(run.Folder, "monthly.parquet");
        var loaded = await Core.Data.SeriesLoader.LoadAsync(new Core.Data.DataOptions { Path = TrainerRun.SampleData });
        await using (var file = File.Create(data))
        {
            var id = new Parquet.Schema.DataField<string>("unique_id");
            var ds = new Parquet.Schema.DataField<DateTime>("ds");
            var y = new Parquet.Schema.DataField<double>("y");
            await using var writer = await Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(id, ds, y), file);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(id, loaded.Series.SelectMany(s => Enumerable.Repeat(s.Id, s.Length)).ToArray());
            await group.WriteAsync<DateTime>(ds, loaded.Series.SelectMany(s => s.Timestamps).ToArray());
            await group.WriteAsync<double>(y, loaded.Series.SelectMany(s => s.Values).ToArray());
        }
        byte[] bytes = File.ReadAllBytes(data);
        bytes[bytes.Length / 3] ^= 0xFF;
        bytes[bytes.Length / 3 + 1] ^= 0xFF;
        File.WriteAllBytes(data, bytes);
        var errors = await ExpectFailure(run, ExitCodes.DataError, data);
        errors.Should().Contain("monthly.parquet");
    }
}
