using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace Forecast.Bench.DataLoading;

/// <summary>
/// Writes the benchmark input: long format unique_id,ds,y with hourly timestamps ("2020-01-01 00:00:00"), values
/// with two decimals (a daily sine plus noise), series in id order — the layout of m4_hourly, scaled up.
/// </summary>
internal static class SyntheticData
{
    private static readonly DateTime Start = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <param name="timeMajor">
    /// Rows ordered by time then id (as a database export by date), so consecutive rows never share an id and the
    /// loader must look every id up; otherwise ordered by id then time.
    /// </param>
    public static void WriteCsv(string path, int series, int length, bool timeMajor = false)
    {
        var random = new Random(42);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("unique_id,ds,y\n");
        var line = new StringBuilder(64);
        var ids = Enumerable.Range(0, series).Select(Id).ToArray();
        for (int outer = 0; outer < (timeMajor ? length : series); outer++)
        {
            for (int inner = 0; inner < (timeMajor ? series : length); inner++)
            {
                int s = timeMajor ? inner : outer, t = timeMajor ? outer : inner;
                line.Clear();
                line.Append(ids[s]).Append(',');
                line.Append(Start.AddHours(t).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)).Append(',');
                line.Append(Value(random, s, t).ToString("0.00", CultureInfo.InvariantCulture)).Append('\n');
                writer.Write(line);
            }
        }
    }

    public static async Task WriteParquetAsync(string path, int series, int length)
    {
        var random = new Random(42);
        var idField = new DataField<string>("unique_id");
        var timeField = new DataField<DateTime>("ds");
        var valueField = new DataField<double>("y");
        await using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(idField, timeField, valueField), file);
        // Row groups of whole series, about a million rows each, as a Spark or pandas export would write them.
        int seriesPerGroup = Math.Max(1, 1_000_000 / length);
        for (int first = 0; first < series; first += seriesPerGroup)
        {
            int count = Math.Min(seriesPerGroup, series - first);
            var ids = new string[count * length];
            var times = new DateTime[count * length];
            var values = new double[count * length];
            for (int s = 0; s < count; s++)
            {
                string id = Id(first + s);
                for (int t = 0; t < length; t++)
                {
                    int row = s * length + t;
                    ids[row] = id;
                    times[row] = Start.AddHours(t);
                    values[row] = Math.Round(Value(random, first + s, t), 2);
                }
            }
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(idField, ids);
            await group.WriteAsync<DateTime>(timeField, times.AsMemory());
            await group.WriteAsync<double>(valueField, values.AsMemory());
        }
    }

    private static string Id(int s) => "S" + s.ToString("D6", CultureInfo.InvariantCulture);

    private static double Value(Random random, int s, int t) => 100 + s % 50 + 10 * Math.Sin(2 * Math.PI * t / 24) + random.NextDouble() * 5;
}
