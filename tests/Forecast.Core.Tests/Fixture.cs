using System.Globalization;
using System.IO.Compression;
using Forecast.Core.Series;

namespace Forecast.Core.Tests;

/// <summary>
/// Reads the test fixtures (see Fixtures/NOTICE): long-format CSVs (optionally gzip) with the plain layout of the
/// benchmark files. A deliberately small reader so these tests do not depend on the data loader under test elsewhere.
/// </summary>
internal static class Fixture
{
    public static string PathOf(string relative) => Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    public static IEnumerable<string[]> Rows(string relative)
    {
        using var stream = File.OpenRead(PathOf(relative));
        using Stream text = relative.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionMode.Decompress) : stream;
        using var reader = new StreamReader(text);
        reader.ReadLine(); // header
        while (reader.ReadLine() is { } line)
            yield return line.Split(',').Select(f => f.Trim('"')).ToArray();
    }

    /// <summary>The series of a unique_id,ds,y file in file order, with the given frequency.</summary>
    public static List<TimeSeries> Series(string relative, Frequency frequency)
    {
        var result = new List<TimeSeries>();
        string? id = null;
        var times = new List<DateTime>();
        var values = new List<double>();
        foreach (var row in Rows(relative))
        {
            if (row[0] != id)
            {
                Flush();
                id = row[0];
            }
            times.Add(ParseTime(row[1]));
            values.Add(double.Parse(row[2], CultureInfo.InvariantCulture));
        }
        Flush();
        return result;

        void Flush()
        {
            if (id is not null) result.Add(new TimeSeries(id, [.. times], [.. values]) { Frequency = frequency });
            times.Clear();
            values.Clear();
        }
    }

    public static DateTime ParseTime(string text) =>
        DateTime.ParseExact(text, ["yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss"], CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
