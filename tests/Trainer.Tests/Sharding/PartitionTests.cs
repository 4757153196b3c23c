using System.Security.Cryptography;
using Forecast.Trainer.Cli;
using Forecast.Trainer.Sharding;
using Forecast.Trainer.Sharding.Partitioning;
using Parquet;
using Parquet.Schema;

namespace Forecast.Trainer.Tests.Sharding;

/// <summary>
/// The partition step and a shard's checks of the partitioned input: a missing or extra part, a part of another
/// batch, a series in the wrong part, a damaged part — each a data error naming the file, with no shard run committed
/// (so the merge cannot run). Equality of partitioned shards + merge with a single run is in <see cref="ShardedRunTests"/>.
/// </summary>
public class PartitionTests
{
    private static string[] Args(TrainerRun run, params string[] extra) =>
        ["--config", TrainerRun.DefaultConfig, "--set", $"data.path={TrainerRun.SampleData}", "--set", $"run.output={run.Output}", .. extra];

    private static string PartitionFolder(TrainerRun run, string batch) => Path.Combine(run.Output, "shards", "partitions", batch);

    private static async Task PartitionAsync(TrainerRun run, string batch, int parts)
    {
        var (code, _, err) = await TrainerRun.InProcessAsync(Args(run, "partition", "--batch", batch, "--partitions", $"{parts}"));
        code.Should().Be(ExitCodes.Ok, err);
    }

    /// <summary>Runs shard <paramref name="shard"/> and expects a data error containing <paramref name="why"/>, and no shard run.</summary>
    private static async Task ShardFailsAsync(TrainerRun run, string batch, string shard, params string[] why)
    {
        var (code, _, err) = await TrainerRun.InProcessAsync(Args(run, "--shard", shard, "--batch", batch));
        code.Should().Be(ExitCodes.DataError, err);
        foreach (string w in why) err.Should().Contain(w);
        string runs = Path.Combine(run.Output, "shards", "runs");
        (Directory.Exists(runs) ? Directory.GetFiles(runs, "manifest.json", SearchOption.AllDirectories) : []).Should().BeEmpty("a shard that failed commits nothing");
    }

    [Fact]
    public async Task The_partition_step_writes_every_part_and_its_manifest_last_each_series_in_its_hash_part()
    {
        using var run = new TrainerRun();
        await PartitionAsync(run, "b", 3);

        string folder = PartitionFolder(run, "b");
        var manifest = PartitionManifest.Parse(File.ReadAllBytes(Path.Combine(folder, PartitionManifest.FileName)), "partitions.json");
        manifest.Parts.Should().Be(3);
        manifest.Source.Sha256.Should().Be(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(TrainerRun.SampleData))));
        var ids = File.ReadAllLines(TrainerRun.SampleData).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[0]).ToList();
        manifest.Source.Rows.Should().Be(ids.Count);
        manifest.Source.Series.Should().Be(ids.Distinct().Count());
        manifest.Files.Sum(f => f.Rows).Should().Be(ids.Count);
        for (int p = 0; p < 3; p++)
        {
            var entry = manifest.Files[p];
            string path = Path.Combine(folder, entry.File);
            Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))).Should().Be(entry.Sha256);
            var inPart = (await ReadPartAsync(path)).Ids;
            inPart.Should().OnlyContain(id => ShardSpec.Of(id, 3) == p);
            inPart.Distinct().Count().Should().Be(entry.Series);
            await using var reader = await ParquetReader.CreateAsync(path);
            PartMetadata.TryParse(reader.CustomMetadata[PartitionManifest.MetadataKey]).Should().Be(new PartMetadata("b", p, 3));
        }
    }

    [Fact]
    public async Task A_missing_part_is_a_named_error_and_no_shard_commits()
    {
        using var run = new TrainerRun();
        await PartitionAsync(run, "b", 3);
        File.Delete(Path.Combine(PartitionFolder(run, "b"), PartitionManifest.PartFileName(1, 3)));

        await ShardFailsAsync(run, "b", "0/3", "1 of the 3 parts listed in partitions.json are missing", "part-00001-of-00003.parquet");
    }

    [Fact]
    public async Task An_extra_part_is_a_named_error_and_no_shard_commits()
    {
        using var run = new TrainerRun();
        await PartitionAsync(run, "b", 2);
        string folder = PartitionFolder(run, "b");
        File.Copy(Path.Combine(folder, PartitionManifest.PartFileName(1, 2)), Path.Combine(folder, PartitionManifest.PartFileName(2, 3)));

        await ShardFailsAsync(run, "b", "1/2", "does not list", "part-00002-of-00003.parquet");
    }

    [Fact]
    public async Task A_part_of_another_batch_is_a_named_error_and_no_shard_commits()
    {
        using var run = new TrainerRun();
        await PartitionAsync(run, "a", 2);
        await PartitionAsync(run, "b", 2);
        string part = PartitionManifest.PartFileName(1, 2);
        File.Copy(Path.Combine(PartitionFolder(run, "b"), part), Path.Combine(PartitionFolder(run, "a"), part), overwrite: true);

        await ShardFailsAsync(run, "a", "1/2", "is part 1 of 2 of batch 'b', not part 1 of 2 of batch 'a'", part);
    }

    [Fact]
    public async Task A_damaged_part_is_a_named_error()
    {
        using var run = new TrainerRun();
        await PartitionAsync(run, "b", 2);
        // Rewritten with the same metadata but one row fewer: only the SHA-256 tells.
        string path = Path.Combine(PartitionFolder(run, "b"), PartitionManifest.PartFileName(0, 2));
        var (ids, times, values) = await ReadPartAsync(path);
        await WritePartAsync(path, new PartMetadata("b", 0, 2), ids[1..], times[1..], values[1..]);

        await ShardFailsAsync(run, "b", "0/2", "SHA-256", "changed or damaged", PartitionManifest.PartFileName(0, 2));
    }

    [Fact]
    public async Task A_partitioned_folder_as_data_path_skips_the_step_and_a_series_in_the_wrong_part_is_a_named_error()
    {
        using var run = new TrainerRun();
        await PartitionAsync(run, "cut", 2);
        // The user's own partitioned folder: the parts and manifest, with one series of part 1 moved into part 0.
        string source = PartitionFolder(run, "cut");
        string folder = Path.Combine(run.Folder, "partitioned");
        Directory.CreateDirectory(folder);
        var p0 = await ReadPartAsync(Path.Combine(source, PartitionManifest.PartFileName(0, 2)));
        var p1 = await ReadPartAsync(Path.Combine(source, PartitionManifest.PartFileName(1, 2)));
        string moved = p1.Ids[0];
        int n = p1.Ids.TakeWhile(id => id == moved).Count();
        await WritePartAsync(Path.Combine(folder, PartitionManifest.PartFileName(0, 2)), new PartMetadata("cut", 0, 2),
            [.. p0.Ids, .. p1.Ids[..n]], [.. p0.Times, .. p1.Times[..n]], [.. p0.Values, .. p1.Values[..n]]);
        await WritePartAsync(Path.Combine(folder, PartitionManifest.PartFileName(1, 2)), new PartMetadata("cut", 1, 2), p1.Ids[n..], p1.Times[n..], p1.Values[n..]);
        var manifest = PartitionManifest.Parse(File.ReadAllBytes(Path.Combine(source, PartitionManifest.FileName)), "partitions.json");
        manifest = manifest with
        {
            Files = [.. manifest.Files.Select(f => f with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, f.File)))) })],
        };
        File.WriteAllBytes(Path.Combine(folder, PartitionManifest.FileName), manifest.ToJson());

        // Shard 1 reads its (correct) part from data.path; shard 0 finds the stray series.
        var ok = await TrainerRun.InProcessAsync(["--config", TrainerRun.DefaultConfig, "--set", $"data.path={folder}", "--set", $"run.output={run.Output}", "--shard", "1/2", "--batch", "mine"]);
        ok.ExitCode.Should().Be(ExitCodes.Ok, ok.Err);
        ok.Out.Should().Contain("Loading part 1 of 2 only");
        var (code, _, err) = await TrainerRun.InProcessAsync(["--config", TrainerRun.DefaultConfig, "--set", $"data.path={folder}", "--set", $"run.output={run.Output}", "--shard", "0/2", "--batch", "mine"]);
        code.Should().Be(ExitCodes.DataError, err);
        err.Should().Contain($"series '{moved}' is in part 0 but belongs to part 1").And.Contain(PartitionManifest.PartFileName(0, 2));
        var merge = await TrainerRun.InProcessAsync(["--config", TrainerRun.DefaultConfig, "--set", $"data.path={folder}", "--set", $"run.output={run.Output}", "merge", "--batch", "mine", "--shards", "2"]);
        merge.ExitCode.Should().Be(ExitCodes.DataError);
        (await run.CommittedRunsAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Parts_for_another_shard_count_and_a_batch_partitioned_twice_are_named_errors()
    {
        using var run = new TrainerRun();
        await PartitionAsync(run, "b", 3);

        await ShardFailsAsync(run, "b", "0/2", "cut into 3 part(s) but this is shard 0/2");
        var again = await TrainerRun.InProcessAsync(Args(run, "partition", "--batch", "b", "--partitions", "3"));
        again.ExitCode.Should().Be(ExitCodes.ConfigError);
        again.Err.Should().Contain("already partitioned");
    }

    private static async Task<(string[] Ids, DateTime[] Times, double[] Values)> ReadPartAsync(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var fields = reader.Schema.GetDataFields();
        List<string> ids = [];
        List<DateTime> times = [];
        List<double> values = [];
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int n = checked((int)group.RowCount);
            var id = new string[n];
            var ds = new DateTime[n];
            var y = new double[n];
            await group.ReadAsync(fields[0], id.AsMemory()!, null);
            await group.ReadAsync<DateTime>(fields[1], ds.AsMemory(), null);
            await group.ReadAsync<double>(fields[2], y.AsMemory(), null);
            ids.AddRange(id);
            times.AddRange(ds);
            values.AddRange(y);
        }
        return ([.. ids], [.. times], [.. values]);
    }

    private static async Task WritePartAsync(string path, PartMetadata metadata, string[] ids, DateTime[] times, double[] values)
    {
        var id = new DataField<string>("unique_id");
        var ds = new DataField<DateTime>("ds");
        var y = new DataField<double>("y");
        await using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, ds, y), file);
        writer.CustomMetadata = new Dictionary<string, string> { [PartitionManifest.MetadataKey] = metadata.ToJson() };
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(id, new ArraySegment<string>(ids));
        await group.WriteAsync<DateTime>(ds, times.AsMemory());
        await group.WriteAsync<double>(y, values.AsMemory());
    }
}
