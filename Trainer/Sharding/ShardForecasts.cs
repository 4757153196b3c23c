using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Forecast.Trainer.Sharding;

/// <summary>
/// shard/forecasts.json.gz of a shard run: every forecast the shard's model made (evaluation windows and the future),
/// at full double precision, keyed by series and the last timestamp of the history it saw. The merge replays these
/// through the normal pipeline, so the merged run's metrics and forecast files are computed by the same code as a
/// single-process run. Gzip because thousands of series × quantiles × windows add up.
/// </summary>
public sealed record ShardForecasts(string Batch, int Shard, int Shards, string Model, IReadOnlyList<string> Series, IReadOnlyList<ForecastCall> Calls)
{
    public const string FileName = "shard/forecasts.json.gz";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // A model may return NaN (e.g. an interval it cannot form); JSON has no NaN, so it is written "NaN".
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
            JsonSerializer.Serialize(gzip, this, Json);
        return buffer.ToArray();
    }

    public static ShardForecasts Parse(byte[] bytes, string location)
    {
        try
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            return JsonSerializer.Deserialize<ShardForecasts>(gzip, Json)
                ?? throw new ShardMergeException($"{location} is empty; rerun the shard.");
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new ShardMergeException($"{location} is not a shard forecasts file ({e.Message}); rerun the shard.", e);
        }
    }
}

/// <summary>One call of the model: the request and its forecasts in the order of the histories.</summary>
public sealed record ForecastCall(int Horizon, IReadOnlyList<double> Quantiles, IReadOnlyList<CapturedForecast> Forecasts);

/// <summary>One forecast with what identifies it: the series and the end of the history it was made from.</summary>
public sealed record CapturedForecast(string Id, DateTime HistoryEnd, DateTime[] Timestamps, double[] Mean, double[][] Quantiles);
