using System.Text;
using Forecast.Core.Eda;
using Forecast.Core.Evaluation;
using Forecast.Trainer.Pipeline;

namespace Forecast.Trainer.Sharding;

/// <summary>
/// shard/series.bin of a shard run: one binary record per series, in the shard's series order (ordinal by id). A
/// record holds the byte length of the series' entry in each per-series file (cleaning.yaml, eda/eda.yaml,
/// metrics.yaml, evaluation/forecasts.csv per window, forecasts.csv) and its rows in forecasts.parquet, and the numbers
/// the dataset-level parts are computed from: its EDA statistics and the error statistics of the model and of
/// seasonal naive. The merge streams the shards' files side by side in global series order, so its memory grows
/// with the number of series it holds in flight (one per shard), not with the data.
/// </summary>
public static class ShardSeriesFile
{
    public const string FileName = "shard/series.bin";

    private const int Magic = 0x53534652; // "RFSS": Forecast shard series
    private const int Version = 1;

    public static byte[] Write(RunRecord record)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            var series = record.Series;
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(series.Count);
            for (int i = 0; i < series.Count; i++)
            {
                writer.Write(series[i].Id);
                writer.Write(record.CleaningFile!.EntryLengths[i]);
                if (record.EdaFile is { } edaFile)
                {
                    var eda = record.Eda!.Report.Series[i];
                    writer.Write(edaFile.EntryLengths[i]);
                    writer.Write(eda.Length);
                    writer.Write(eda.Frequency);
                    WriteOptional(writer, eda.TrendStrength);
                    WriteOptional(writer, eda.SeasonalStrength);
                    writer.Write(eda.DetectedSeasonLengths.Count);
                    foreach (int length in eda.DetectedSeasonLengths) writer.Write(length);
                    writer.Write(series[i].Values.Count(double.IsNaN));
                    writer.Write(series[i].Length > 0 ? series[i].Timestamps[0].Ticks : 0L);
                    writer.Write(series[i].Length > 0 ? series[i].Timestamps[^1].Ticks : 0L);
                }
                writer.Write(record.MetricsFile!.EntryLengths[i]);
                record.Score!.Statistics[i].Write(writer);
                record.SeasonalNaive!.Statistics[i].Write(writer);
                foreach (var window in record.EvaluationCsv!.BlockLengths) writer.Write(window[i]);
                writer.Write(record.ForecastCsv!.BlockLengths[0][i]);
                writer.Write(record.ParquetRows[i]);
            }
        }
        return buffer.ToArray();
    }

    private static void WriteOptional(BinaryWriter writer, double? value)
    {
        writer.Write(value.HasValue);
        if (value is { } v) writer.Write(v);
    }

    private static double? ReadOptional(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadDouble() : null;

    /// <summary>Reads the records of one shard, one at a time.</summary>
    public sealed class Reader : IDisposable
    {
        private readonly BinaryReader _reader;
        private readonly int _windows;
        private readonly bool _eda;
        private readonly ErrorSums _template;
        private readonly string _location;
        private int _left;

        /// <param name="windows">The evaluation windows of the run.</param>
        /// <param name="eda">Whether the run explored its series (eda.enabled).</param>
        /// <param name="template">Empty error sums over the run's quantile levels.</param>
        public Reader(Stream stream, int windows, bool eda, ErrorSums template, string location)
        {
            _reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            _windows = windows;
            _eda = eda;
            _template = template;
            _location = location;
            try
            {
                if (_reader.ReadInt32() != Magic || _reader.ReadInt32() != Version)
                    throw new ShardMergeException($"{location} is not a shard series file of this Trainer; rerun that shard.");
                _left = _reader.ReadInt32();
            }
            catch (EndOfStreamException e)
            {
                throw new ShardMergeException($"{location} is truncated; rerun that shard.", e);
            }
            Count = _left;
        }

        public int Count { get; }

        /// <summary>The next series, or null after the last.</summary>
        public ShardSeriesRecord? Next()
        {
            if (_left == 0) return null;
            _left--;
            try
            {
                string id = _reader.ReadString();
                int cleaning = _reader.ReadInt32();
                int edaEntry = 0, missing = 0;
                SeriesEda? eda = null;
                DateTime? first = null, last = null;
                if (_eda)
                {
                    edaEntry = _reader.ReadInt32();
                    int length = _reader.ReadInt32();
                    string frequency = _reader.ReadString();
                    double? trend = ReadOptional(_reader), seasonal = ReadOptional(_reader);
                    var detected = new int[_reader.ReadInt32()];
                    for (int k = 0; k < detected.Length; k++) detected[k] = _reader.ReadInt32();
                    eda = new SeriesEda { Id = id, Length = length, Frequency = frequency, TrendStrength = trend, SeasonalStrength = seasonal, DetectedSeasonLengths = detected };
                    missing = _reader.ReadInt32();
                    long firstTicks = _reader.ReadInt64(), lastTicks = _reader.ReadInt64();
                    if (length > 0) (first, last) = (new DateTime(firstTicks, DateTimeKind.Utc), new DateTime(lastTicks, DateTimeKind.Utc));
                }
                int metrics = _reader.ReadInt32();
                var model = SeriesErrorStatistics.Read(_reader, id, _template);
                var baseline = SeriesErrorStatistics.Read(_reader, id, _template);
                var evaluation = new int[_windows];
                for (int w = 0; w < _windows; w++) evaluation[w] = _reader.ReadInt32();
                int forecastCsv = _reader.ReadInt32();
                int parquetRows = _reader.ReadInt32();
                return new ShardSeriesRecord(id, cleaning, edaEntry, eda, missing, first, last, metrics, model, baseline, evaluation, forecastCsv, parquetRows);
            }
            catch (Exception e) when (e is EndOfStreamException or InvalidDataException or FormatException)
            {
                throw new ShardMergeException($"{_location} is damaged or truncated ({e.Message}); rerun that shard.", e);
            }
        }

        public void Dispose() => _reader.Dispose();
    }
}

/// <summary>One series of a shard as <see cref="ShardSeriesFile"/> records it.</summary>
public sealed record ShardSeriesRecord(
    string Id,
    int CleaningEntry,
    int EdaEntry,
    SeriesEda? Eda,
    int Missing,
    DateTime? First,
    DateTime? Last,
    int MetricsEntry,
    SeriesErrorStatistics Score,
    SeriesErrorStatistics SeasonalNaive,
    int[] EvaluationCsvBlocks,
    int ForecastCsvBlock,
    int ParquetRows);
