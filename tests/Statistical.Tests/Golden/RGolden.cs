using System.Globalization;
using System.IO.Compression;

namespace Forecast.Statistical.Tests.Golden;

/// <summary>One dataset of the R goldens: its protocol (season length, horizon, context limit) and series.</summary>
internal sealed record GoldenDataset(string Name, int SeasonLength, int Horizon, int MaxContext, IReadOnlyList<GoldenSeries> Series);

/// <summary>A series split as the baselines split it: the training part and the held-out last horizon points.</summary>
internal sealed record GoldenSeries(string Id, double[] Train, double[] Actual)
{
    /// <summary>What the models see: the last <paramref name="maxContext"/> training points.</summary>
    public double[] Context(int maxContext) => Train.Length > maxContext ? Train[^maxContext..] : Train;
}

/// <summary>R forecast's fit of one series by one method: form, parameters (hex doubles as R wrote them), forecasts.</summary>
internal sealed record GoldenFit(string Id, string? Form, string Status, double Seconds, IReadOnlyDictionary<string, double> Detail,
    string States, double[] Mean, IReadOnlyDictionary<double, (double[] Lower, double[] Upper)> Bounds)
{
    public bool Ok => Status == "ok";
}

/// <summary>
/// Reads the golden files made by bench/Statistical/r/make-goldens.R (Fixtures/r-forecast/&lt;dataset&gt;/) and the
/// datasets they were fitted on (Fixtures/datasets/&lt;dataset&gt;.csv.gz or a data.csv folder).
/// </summary>
internal static class RGolden
{
    public static string FixturesRoot => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>The protocol rows of Fixtures/r-forecast/datasets.csv (dataset, season_length, horizon, max_context).</summary>
    public static IReadOnlyDictionary<string, (int SeasonLength, int Horizon, int MaxContext)> Protocols(string root)
    {
        var result = new Dictionary<string, (int, int, int)>(StringComparer.Ordinal);
        foreach (var row in ReadCsv(Path.Combine(root, "r-forecast", "datasets.csv")).Skip(1))
            result[row[0]] = (Int(row[1]), Int(row[2]), Int(row[3]));
        return result;
    }

    /// <summary>The dataset's series from <paramref name="dataFile"/> (long unique_id,ds,y; .csv or .csv.gz), split by its protocol.</summary>
    public static GoldenDataset LoadDataset(string root, string name, string dataFile)
    {
        var (m, h, maxContext) = Protocols(root)[name];
        var values = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var row in ReadCsv(dataFile).Skip(1))
        {
            if (!values.TryGetValue(row[0], out var list))
            {
                values[row[0]] = list = [];
                order.Add(row[0]);
            }
            list.Add(row[2].Length == 0 || row[2] == "NA" ? double.NaN : double.Parse(row[2], CultureInfo.InvariantCulture));
        }
        var series = order.Select(id =>
        {
            var y = values[id].ToArray();
            return new GoldenSeries(id, y[..^h], y[^h..]);
        }).ToList();
        return new GoldenDataset(name, m, h, maxContext, series);
    }

    /// <summary>R's fits of <paramref name="method"/> (ets, arima, theta) on every series of <paramref name="dataset"/>, by id.</summary>
    public static IReadOnlyDictionary<string, GoldenFit> LoadFits(string root, string dataset, string method)
    {
        string folder = Path.Combine(root, "r-forecast", dataset);
        var forecasts = new Dictionary<string, List<string[]>>(StringComparer.Ordinal);
        string[]? header = null;
        foreach (var row in ReadCsv(Path.Combine(folder, method + "_forecasts.csv.gz")))
        {
            if (header is null) { header = row; continue; }
            if (!forecasts.TryGetValue(row[0], out var rows)) forecasts[row[0]] = rows = [];
            rows.Add(row);
        }
        var result = new Dictionary<string, GoldenFit>(StringComparer.Ordinal);
        foreach (var row in ReadCsv(Path.Combine(folder, method + "_models.csv")).Skip(1))
        {
            string id = row[0];
            var detail = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var pair in row[5].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = pair.Split('=');
                detail[kv[0]] = Hex(kv[1]);
            }
            double[] mean = [];
            var bounds = new Dictionary<double, (double[], double[])>();
            if (forecasts.TryGetValue(id, out var rows))
            {
                rows.Sort((a, b) => Int(a[1]).CompareTo(Int(b[1])));
                mean = rows.Select(r => Hex(r[2])).ToArray();
                for (int c = 3; c + 1 < header!.Length; c += 2)
                {
                    double level = double.Parse(header[c][2..], CultureInfo.InvariantCulture);
                    int col = c;
                    bounds[level] = (rows.Select(r => Hex(r[col])).ToArray(), rows.Select(r => Hex(r[col + 1])).ToArray());
                }
            }
            result[id] = new GoldenFit(id, row[1] is "NA" or "" ? null : row[1], row[2],
                double.Parse(row[3], CultureInfo.InvariantCulture), detail, row[6], mean, bounds);
        }
        return result;
    }

    /// <summary>R's <c>sprintf("%a")</c> text ("0x1.8p+1", "-0x0p+0", "NA") as a double.</summary>
    public static double Hex(string text)
    {
        if (text is "NA" or "" or "NaN") return double.NaN;
        if (text == "Inf") return double.PositiveInfinity;
        if (text == "-Inf") return double.NegativeInfinity;
        bool negative = text[0] == '-';
        if (negative) text = text[1..];
        if (!text.StartsWith("0x", StringComparison.Ordinal)) return double.Parse(text, CultureInfo.InvariantCulture) * (negative ? -1 : 1);
        int p = text.IndexOf('p');
        string mantissa = text[2..p];
        int exponent = int.Parse(text[(p + 1)..], CultureInfo.InvariantCulture);
        int dot = mantissa.IndexOf('.');
        string whole = dot < 0 ? mantissa : mantissa[..dot];
        string fraction = dot < 0 ? "" : mantissa[(dot + 1)..];
        double value = long.Parse(whole, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        double scale = 1.0 / 16;
        foreach (char c in fraction)
        {
            value += Convert.ToInt32(c.ToString(), 16) * scale;
            scale /= 16;
        }
        value = Math.ScaleB(value, exponent);
        return negative ? -value : value;
    }

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>Rows of a CSV file (quoted fields as R's write.csv writes them; .gz transparently).</summary>
    public static IEnumerable<string[]> ReadCsv(string path)
    {
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0) continue;
            yield return SplitCsv(line);
        }
    }

    private static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { current.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else current.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(c);
        }
        fields.Add(current.ToString());
        return [.. fields];
    }
}
