using System.Text;
using Forecast.Chronos.Checkpoints;
using Forecast.Core.Data;
using Forecast.Prophet;
using Forecast.Trainer.Configuration;

namespace Forecast.Fuzz;

/// <summary>
/// The fuzz targets: the data loader (CSV, gzip CSV, Parquet), the Trainer's YAML configuration, the safetensors
/// reader, Chronos config.json and prophet's model JSON. Each accepts only its own named exceptions.
/// </summary>
public static class FuzzTargets
{
    private static byte[][] Tokens(params string[] tokens) => [.. tokens.Select(Encoding.UTF8.GetBytes)];

    private static byte[] Raw(params int[] bytes) => [.. bytes.Select(b => (byte)b)];

    private static readonly byte[][] Numbers = Tokens("0", "-1", "1e308", "-1e308", "1e400", "NaN", "Infinity", "99999999999", "2147483648", "-0", "1.5", "4.9e-324");

    private static readonly byte[][] JsonTokens = [.. Tokens("null", "true", "false", "[]", "{}", "\"\"", "\"x\"", ",", ":", "[", "]", "{", "}", "\"", "\\u0000", "[[[[[[[[[["), .. Numbers];

    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new("csv", [.. Tokens(",", "\n", "\r\n", "\"", "\"\"", "unique_id", "ds", "y", "2020-01-01", "2020-01-01T00:00:00+02:00", "1700000000", "NA", ";", "\t"), .. Numbers],
            input => Load(input, "fuzz.csv"), e => e is DataException),
        new("csv-gz", [Raw(0x1f, 0x8b, 8), Raw(0, 0, 0, 0), Raw(0xff, 0xff, 0xff, 0xff), Raw(3, 0), Raw(0x1f)],
            input => Load(input, "fuzz.csv.gz"), e => e is DataException),
        new("parquet", [.. Tokens("PAR1"), Raw(0, 0, 0, 0), Raw(0xff, 0xff, 0xff, 0x7f), Raw(0x15, 0), Raw(0x19, 0x1c), Raw(0x26), Raw(0x80, 0x80, 0x80, 0x80, 0x08)],
            input => Load(input, "fuzz.parquet"), e => e is DataException),
        new("yaml", [.. Tokens(":", ": ", "- ", "\n", "\n  ", "\t", "[", "]", "{", "}", "'", "\"", "&a ", "*a", "!!int ", "? ", "---", "...", "#", "|", ">", "data:", "model:", "evaluation:", "horizon: ", "name: naive", "path: x.csv", "quantiles: [0.1, 0.5]"), .. Numbers],
            input => ConfigLoader.Parse(Encoding.UTF8.GetString(input), "fuzz.yaml", []), e => e is ConfigException),
        new("safetensors", [.. Tokens("{\"", "\"dtype\":\"F32\"", "\"shape\":[", "\"data_offsets\":[", "\"__metadata__\":", "BF16", "I64"), Raw(0, 0, 0, 0, 0, 0, 0, 0), Raw(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f), .. JsonTokens],
            ParseSafetensors, e => e is CheckpointException),
        new("chronos-config", [.. Tokens("\"architectures\"", "\"chronos_config\"", "\"d_model\"", "\"num_layers\"", "\"chronos_pipeline_class\"", "\"ChronosBoltPipeline\"", "\"T5ForConditionalGeneration\"", "\"quantiles\""), .. JsonTokens],
            input => ChronosCheckpointConfig.Parse(Encoding.UTF8.GetString(input), "fuzz/config.json"), e => e is CheckpointException),
        new("prophet-json", [.. Tokens("\"history\"", "\"params\"", "\"data\"", "\"ds\"", "\"2020-01-01T00:00:00.000\"", "\"99999-01-01T00:00:00.000\"", "\"seasonalities\"", "\"delta\"", "[[", "]]", "\\\""), .. JsonTokens],
            input => ProphetSerializer.ModelFromJson(Encoding.UTF8.GetString(input)), e => e is ProphetModelJsonException),
    ];

    static FuzzTargets()
    {
        // A footer that never finishes decoding is a named error after this deadline; short here so a case stays short.
        ParquetSeriesReader.FooterTimeout = TimeSpan.FromSeconds(2);
    }

    public static FuzzTarget Get(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"unknown fuzz target '{name}'; targets: {string.Join(", ", All.Select(t => t.Name))}.", nameof(name));

    private static void Load(byte[] input, string name) =>
        SeriesLoader.LoadAsync(new MemoryStream(input), name, new DataOptions()).GetAwaiter().GetResult();

    /// <summary>The safetensors reader maps files: the input goes to a temporary file, every tensor's bytes are read.</summary>
    private static void ParseSafetensors(byte[] input)
    {
        string path = Path.Combine(Path.GetTempPath(), $"forecast-fuzz-{Environment.ProcessId}-{Environment.CurrentManagedThreadId}.safetensors");
        File.WriteAllBytes(path, input);
        try
        {
            using var file = SafetensorsFile.Open(path);
            foreach (var info in file.Header.Tensors)
                _ = file.GetBytes(info).Length;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
