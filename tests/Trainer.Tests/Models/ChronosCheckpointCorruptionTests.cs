using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Forecast.Trainer.Cli;

namespace Forecast.Trainer.Tests.Models;

/// <summary>
/// A damaged checkpoint folder is a configuration error (exit 2) naming the file and the tensor or key, found when the
/// config is read: before the data loads, before any tensor exists or libtorch is loaded, and nothing is committed.
/// Each case damages a copy of the official tiny Chronos-Bolt checkpoint.
/// </summary>
public class ChronosCheckpointCorruptionTests
{
    private static string Shipped => TrainerRun.FixturePath(Path.Combine("models", "dummy-chronos-bolt-model"));

    private static string CopyCheckpoint(TrainerRun run)
    {
        string folder = Path.Combine(run.Folder, "checkpoint");
        Directory.CreateDirectory(folder);
        foreach (string file in Directory.GetFiles(Shipped)) File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        return folder;
    }

    private static async Task<string> ExpectConfigError(TrainerRun run, string checkpoint)
    {
        var (code, output, errors) = await run.RunAsync("--config", TrainerRun.FixturePath(Path.Combine("config", "chronos-bolt.yaml")),
            "--set", $"data.path={TrainerRun.SampleData}", "--set", $"run.output={run.Output}", "--set", $"model.chronos.checkpoint={checkpoint}");
        code.Should().Be(ExitCodes.ConfigError, output + errors);
        output.Should().NotContain(" INFO  Loading ", "the checkpoint is checked with the configuration, before any work");
        errors.Should().Contain("model.chronos.checkpoint").And.NotContain("   at ");
        run.FilesUnderRuns().Should().BeEmpty();
        return errors;
    }

    /// <summary>Rewrites the safetensors header JSON (keeping the data bytes).</summary>
    private static void EditHeader(string file, Action<JsonObject> edit)
    {
        byte[] bytes = File.ReadAllBytes(file);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, length))!.AsObject();
        edit(header);
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var prefix = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)json.Length);
        File.WriteAllBytes(file, [.. prefix, .. json, .. bytes.AsSpan(8 + length)]);
    }

    private static void EditConfig(string folder, Action<JsonObject> edit)
    {
        string path = Path.Combine(folder, "config.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(config);
        File.WriteAllText(path, config.ToJsonString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_truncated_safetensors_file_names_the_file_and_a_cut_tensor(bool asProcess)
    {
        using var run = new TrainerRun(asProcess);
        string folder = CopyCheckpoint(run);
        string weights = Path.Combine(folder, "model.safetensors");
        byte[] bytes = File.ReadAllBytes(weights);
        File.WriteAllBytes(weights, bytes[..(bytes.Length * 2 / 3)]);
        var errors = await ExpectConfigError(run, folder);
        errors.Should().Contain("model.safetensors").And.Contain("truncated");
    }

    [Fact]
    public async Task Offsets_past_the_end_of_the_file_are_named()
    {
        using var run = new TrainerRun();
        string folder = CopyCheckpoint(run);
        EditHeader(Path.Combine(folder, "model.safetensors"), header =>
        {
            var entry = header["shared.weight"]!;
            entry["data_offsets"] = new JsonArray(entry["data_offsets"]![0]!.GetValue<long>(), 1L << 40);
        });
        var errors = await ExpectConfigError(run, folder);
        errors.Should().Contain("model.safetensors").And.Contain("shared.weight");
    }

    [Theory]
    [InlineData("d_model", 16, "SelfAttention.k.weight' has shape [16, 8] but [16, 16]")]
    [InlineData("d_ff", 12, "DenseReluDense.wi.weight")]
    [InlineData("num_heads", 2, "SelfAttention.")]
    public async Task Shapes_in_config_json_that_do_not_match_the_tensors_name_a_tensor(string key, int value, string tensor)
    {
        using var run = new TrainerRun();
        string folder = CopyCheckpoint(run);
        EditConfig(folder, c => c[key] = value);
        var errors = await ExpectConfigError(run, folder);
        errors.Should().Contain("model.safetensors: tensor '").And.Contain(tensor).And.Contain("is expected");
    }

    // Chronos-Bolt's embedding holds [PAD] and [REG] whatever vocab_size says (chronos_bolt.py overrides vocab_size with
    // 2 or 1 from use_reg_token), so the REG token's presence, not vocab_size, shapes shared.weight.
    [Fact]
    public async Task A_reg_token_setting_that_does_not_match_the_embedding_names_shared_weight()
    {
        using var run = new TrainerRun();
        string folder = CopyCheckpoint(run);
        EditConfig(folder, c => c["chronos_config"]!["use_reg_token"] = false);
        var errors = await ExpectConfigError(run, folder);
        errors.Should().Contain("model.safetensors: tensor 'shared.weight'").And.Contain("is expected");
    }

    [Fact]
    public async Task A_layer_count_that_does_not_match_the_blocks_names_the_key()
    {
        using var run = new TrainerRun();
        string folder = CopyCheckpoint(run);
        EditConfig(folder, c => c["num_layers"] = 5);
        var errors = await ExpectConfigError(run, folder);
        errors.Should().Contain("config.json: num_layers is 5 but the weights hold 4 encoder block(s)");
    }

    [Fact]
    public async Task A_duplicate_key_in_config_json_is_named()
    {
        using var run = new TrainerRun();
        string folder = CopyCheckpoint(run);
        string path = Path.Combine(folder, "config.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"d_ff\":", "\"d_ff\": 8, \"d_ff\":", StringComparison.Ordinal));
        var errors = await ExpectConfigError(run, folder);
        errors.Should().Contain("config.json: not valid JSON").And.Contain("d_ff");
    }

    [Fact]
    public async Task Missing_weights_are_named()
    {
        using var run = new TrainerRun();
        string folder = CopyCheckpoint(run);
        File.Delete(Path.Combine(folder, "model.safetensors"));
        var errors = await ExpectConfigError(run, folder);
        errors.Should().Contain("neither model.safetensors nor model.safetensors.index.json");
    }
}
