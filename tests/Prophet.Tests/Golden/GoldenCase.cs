using System.Globalization;
using System.IO.Compression;
using System.Text.Json;

namespace Forecast.Prophet.Tests.Golden;

/// <summary>
/// One R prophet 1.0 golden case copied into Fixtures/golden/&lt;name&gt; (see Fixtures/NOTICE): its input, options,
/// fitted parameters, Stan data and predict() frame, and a model configured as the R script configured it.
/// </summary>
public sealed class GoldenCase
{
    /// <summary>
    /// The L1 data cache size Eigen saw (CPUID) on the machine where the golden R fits and the rstan traces were made;
    /// rstan's rounding depends on it, so the R-compatible tests pin it instead of reading the test machine's.
    /// </summary>
    public const int RstanL1CacheBytes = 32 * 1024;

    /// <summary>The R-compatible fit as it ran on the machine that made the fixtures.</summary>
    public static ProphetFitOptions RCompatibleOptions => new() { Mode = ProphetFitMode.RCompatible, EigenL1CacheBytes = RstanL1CacheBytes };

    /// <summary>Every case folder of Fixtures/golden: a new R case dropped there (bench/Prophet/r/make_golden_case.R) runs in every golden test.</summary>
    public static readonly string[] Names = System.IO.Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "Fixtures", "golden"))
        .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    /// <summary>The cases that fit in well under a second (used where a test fits every case).</summary>
    public static IEnumerable<object[]> All => Names.Select(n => new object[] { n });

    private static readonly Dictionary<string, GoldenCase> Cache = new();

    private GoldenCase(string name)
    {
        Name = name;
        Directory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "golden", name);
        Options = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "options.json"))).RootElement;
        Input = GoldenCaseModel.ReadHistory(Directory, Options);
        Params = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "params.json"))).RootElement;
        using (var stream = new GZipStream(File.OpenRead(Path.Combine(Directory, "stan_data.json.gz")), CompressionMode.Decompress))
        {
            StanData = JsonDocument.Parse(stream).RootElement;
        }

        Timing = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "timing.json"))).RootElement;
    }

    public string Name { get; }

    public string Directory { get; }

    public ProphetFrame Input { get; }

    public JsonElement Options { get; }

    public JsonElement Params { get; }

    public JsonElement StanData { get; }

    public JsonElement Timing { get; }

    public static GoldenCase Load(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var golden))
            {
                Cache[name] = golden = new GoldenCase(name);
            }

            return golden;
        }
    }

    /// <summary>A new, unfitted model with this case's options (R column order for holidays).</summary>
    public Prophet CreateModel(int? seed = 42) => GoldenCaseModel.Create(Options, seed);

    /// <summary>The Stan data list R passed to rstan.</summary>
    public ProphetStanData ReadStanData()
    {
        var s = StanData;
        var t = s.GetProperty("T").GetInt32();
        var k = s.GetProperty("K").GetInt32();
        var x = new double[t * k];
        var row = 0;
        foreach (var r in s.GetProperty("X").EnumerateArray())
        {
            var col = 0;
            foreach (var v in r.EnumerateArray())
            {
                x[(row * k) + col++] = v.GetDouble();
            }

            row++;
        }

        return new ProphetStanData(t, k, s.GetProperty("S").GetInt32(), Doubles(s.GetProperty("y")), Doubles(s.GetProperty("t")),
            Doubles(s.GetProperty("cap")), Doubles(s.GetProperty("t_change")), x, Doubles(s.GetProperty("sigmas")),
            s.GetProperty("tau").GetDouble(), s.GetProperty("trend_indicator").GetInt32(), Doubles(s.GetProperty("s_a")),
            Doubles(s.GetProperty("s_m")));
    }

    /// <summary>R's fitted MAP parameters (before delta folding: for retail_no_changepoints as reported).</summary>
    public ProphetParameters ReadParams() => new(
        Params.GetProperty("k").GetDouble(), Params.GetProperty("m").GetDouble(), Doubles(Params.GetProperty("delta")),
        Params.GetProperty("sigma_obs").GetDouble(), Doubles(Params.GetProperty("beta")));

    public ProphetParameters ReadInit()
    {
        var init = StanData.GetProperty("init");
        return new ProphetParameters(init.GetProperty("k").GetDouble(), init.GetProperty("m").GetDouble(),
            Doubles(init.GetProperty("delta")), init.GetProperty("sigma_obs").GetDouble(), Doubles(init.GetProperty("beta")));
    }

    public double LogPosteriorValue => Params.GetProperty("stan_optimizer").GetProperty("log_posterior_value").GetDouble();

    public double YScale => Params.GetProperty("y_scale").GetDouble();

    /// <summary>R's predict() output as columns by name (ds parsed into <see cref="ForecastDs"/>).</summary>
    public Dictionary<string, double[]> ReadForecast(out DateTime[] ds)
    {
        using var stream = new GZipStream(File.OpenRead(Path.Combine(Directory, "forecast.csv.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        var header = reader.ReadLine()!.Split(',');
        var columns = header.ToDictionary(h => h, _ => new List<double>());
        var dates = new List<DateTime>();
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            // Column names contain no commas; values neither.
            var fields = line.Split(',');
            for (var c = 0; c < header.Length; c++)
            {
                if (header[c] == "ds")
                {
                    dates.Add(ProphetFrame.ParseDate(fields[c])!.Value);
                }
                else
                {
                    columns[header[c]].Add(fields[c].Length == 0 || fields[c] == "NA" ? double.NaN : double.Parse(fields[c], CultureInfo.InvariantCulture));
                }
            }
        }

        ds = dates.ToArray();
        columns.Remove("ds");
        return columns.ToDictionary(p => p.Key, p => p.Value.ToArray());
    }

    /// <summary>The frame R predicted on (future.csv.gz) and R's forecast of it.</summary>
    public ProphetFrame ReadFutureFrame(out Dictionary<string, double[]> forecast)
    {
        forecast = ReadForecast(out _);
        return GoldenCaseModel.ReadFuture(Directory, Options);
    }

    public static double[] Doubles(JsonElement element) =>
        element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().Select(v => v.GetDouble()).ToArray() : [element.GetDouble()];
}
